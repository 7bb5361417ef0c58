import { QUEUES } from '@hardfix/contracts';
import { enqueueStage, keys } from '@hardfix/core';
import type { StageDeps } from './deps.js';

/**
 * A project is written before its first job is added; if the API died in between, the project would
 * wait forever. At start, every project still `queued` gets its first job again — a no-op for those
 * that have one, since job ids are deterministic.
 */
export async function recoverOrphans(deps: StageDeps): Promise<number> {
  const ids = await deps.redis.zrange(keys(deps.env.QUEUE_PREFIX).projectsByStatus('queued'), 0, -1);
  for (const id of ids) {
    const project = await deps.store.get(id);
    if (project?.status !== 'queued') continue;
    const queue = project.stage === 'generation' ? QUEUES.generation : QUEUES.hardFix;
    await enqueueStage(deps.queues, queue, id, 1);
  }
  if (ids.length) deps.logger.info({ count: ids.length }, 're-ensured jobs of queued projects');
  return ids.length;
}
