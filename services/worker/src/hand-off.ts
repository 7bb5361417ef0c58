import { QUEUES, type QueueName, type Stage } from '@hardfix/contracts';
import { assertLease, enqueueStage, STATS } from '@hardfix/core';
import type { StageDeps } from './deps.js';
import { type FlowSettings, type Next, nextStep, type Outcome } from './transitions.js';

/** The escalation settings of the environment, as transitions.ts takes them. */
export function flowOf(deps: Pick<StageDeps, 'env'>): FlowSettings {
  return {
    normalRetries: deps.env.NORMAL_RETRIES,
    smartRetryMinConfidence: deps.env.SMART_RETRY_MIN_CONFIDENCE,
    hardFixMaxAttempts: deps.env.HARD_FIX_MAX_ATTEMPTS,
    retryIntervalMs: deps.env.RETRY_INTERVAL_MS,
  };
}

/** Decides what follows `outcome` (transitions.ts) and does it. */
export async function handOff(deps: StageDeps, projectId: string, outcome: Outcome): Promise<Next> {
  const next = nextStep(outcome, flowOf(deps));
  await carryOut(deps, projectId, outcome.stage, next);
  return next;
}

/**
 * Carries out a step of the escalation. Every write is conditional on the project still being where
 * the step starts from, and every job id is deterministic, so repeating a hand-off (a re-run after a
 * crash) changes nothing. Inside a job every store write is fenced in its Lua script (a runner that
 * lost its lease gets LeaseLostError, nothing written); adding the next job is BullMQ's own script,
 * which cannot carry the fence, so the lease is checked just before it (see enqueueNext). Delivery and
 * the smart attempt are run by the caller (attempt.ts).
 */
export async function carryOut(deps: StageDeps, projectId: string, from: Stage, next: Next): Promise<void> {
  switch (next.kind) {
    case 'deliver':
    case 'smart-attempt':
      return;
    case 'next-attempt':
      await enqueueNext(deps, next.queue, projectId, next.n, next.delayMs);
      return;
    case 'move':
      if (next.to === 'hard-fix') return handToHardFix(deps, projectId, from);
      await deps.store.update(projectId, (p) =>
        p.stage === from ? { ...p, stage: 'smart-retry', status: 'smart-retry' } : undefined,
      );
      await enqueueNext(deps, QUEUES.smartRetry, projectId, 1);
      return;
    case 'manual-review':
      if (next.reason === 'budget') {
        await deps.store.update(
          projectId,
          (p) =>
            p.status === 'delivered' || p.status === 'abandoned' || p.reviewReason === 'budget'
              ? undefined
              : { ...p, stage: 'manual', status: 'manual-review', reviewReason: 'budget', parked: undefined },
          { [STATS.budgetStops]: 1 },
        );
        return;
      }
      // Counted with the transition, so the success rate in /status matches the records exactly.
      await deps.store.update(
        projectId,
        (p) => (p.stage === from ? { ...p, stage: 'manual', status: 'manual-review' } : undefined),
        { [STATS.exhausted]: 1 },
      );
      return;
  }
}

/**
 * Moves a project from the stage it is in to hard fix, starting a round of HARD_FIX_MAX_ATTEMPTS.
 * Attempt numbers keep counting across rounds (job ids stay unique); `hardFixBase` marks where this
 * round starts. Safe to repeat: the stage check makes the update a no-op and the job id is fixed.
 */
async function handToHardFix(deps: StageDeps, projectId: string, from: Stage): Promise<void> {
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
  await enqueueNext(deps, QUEUES.hardFix, projectId, (project.hardFixBase ?? 0) + 1);
}

/**
 * Adds the next stage job, unless this runner lost its lease: a store update that changed nothing (a
 * repeated hand-off) ran no script, so nothing has checked the fence since the hook began. The add
 * itself stays outside the fence; its deterministic job id makes a late one the new owner's own add.
 */
async function enqueueNext(
  deps: StageDeps,
  queue: QueueName,
  projectId: string,
  n: number,
  delayMs?: number,
): Promise<void> {
  await assertLease(deps.redis);
  await enqueueStage(deps.queues, queue, projectId, n, delayMs);
}
