import type { QueueName } from '@hardfix/contracts';
import { isActive } from '@hardfix/core';
import type { StageDeps } from './deps.js';

/**
 * Parks a project whose stage job failed for good (out of BullMQ retries, or stalled too often), so it
 * says why and where to act instead of waiting silently. Projects that have settled are left alone.
 */
export async function markStuck(
  deps: StageDeps,
  projectId: string,
  queue: QueueName,
  why: string,
): Promise<void> {
  const reason = `${queue} job failed for good (${why}); retry it in Bull Board (/admin/queues)`;
  try {
    await deps.store.update(projectId, (p) =>
      isActive(p.status) ? { ...p, parked: { reason, at: new Date().toISOString() } } : undefined,
    );
  } catch (updateErr) {
    deps.logger.error(
      { projectId, err: String(updateErr) },
      'could not record the failed job on the project',
    );
  }
}
