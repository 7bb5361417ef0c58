import type { QueueName, StageJob } from '@hardfix/contracts';
import type { StageDeps } from './deps.js';

/**
 * A job left over from an earlier round: a hard-fix job whose attempt number belongs to a round that
 * ended (a reviewer's retry started a new one, so its k = n - hardFixBase is ≤ 0). Running it would
 * compute a nonsense attempt and park a live project with a misleading reason; it is dropped instead,
 * with a log line saying why. Returns the reason, or undefined for a current job.
 */
export async function staleReason(
  deps: StageDeps,
  queue: QueueName,
  job: StageJob,
): Promise<string | undefined> {
  if (queue !== 'hard-fix') return undefined;
  const project = await deps.store.get(job.projectId);
  if (project?.stage !== 'hard-fix') return undefined;
  const base = project.hardFixBase ?? 0;
  return job.n <= base
    ? `hard-fix attempt ${job.n} belongs to an earlier round (this round starts after ${base})`
    : undefined;
}
