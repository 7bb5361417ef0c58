import { QUEUES } from '@hardfix/contracts';
import { enqueueStage } from '@hardfix/core';
import type { StageDeps } from './deps.js';

/**
 * Moves a project from the stage it is in to hard fix, starting a round of HARD_FIX_MAX_ATTEMPTS.
 * Attempt numbers keep counting across rounds (job ids stay unique); `hardFixBase` marks where this
 * round starts. Safe to repeat: the stage check makes the update a no-op and the job id is fixed.
 */
export async function handToHardFix(
  deps: StageDeps,
  projectId: string,
  from: 'smart-retry' | 'import',
): Promise<void> {
  const project = await deps.store.update(projectId, (p) =>
    p.stage === from
      ? {
          ...p,
          stage: 'hard-fix',
          status: 'hard-fix',
          hardFixBase: Math.max(0, ...p.attempts.filter((a) => a.stage === 'hard-fix').map((a) => a.n)),
        }
      : undefined,
  );
  if (project.stage !== 'hard-fix') return;
  await enqueueStage(deps.queues, QUEUES.hardFix, projectId, (project.hardFixBase ?? 0) + 1);
}
