import type { Logger, ProjectEvents, WebhookQueue } from '@hardfix/core';

/** The reason BullMQ's stalled checker gives a job it fails (moveStalledJobsToWait.lua). */
export const STALLED_OUT_REASON = 'job stalled more than allowable limit';
const PAGE = 200;

/**
 * BullMQ fails a webhook job whose workers died mid-send more often than maxStalledCount without
 * running any of our code, so its delivery would say `pending` forever. This finds such jobs among the
 * queue's failed ones (newest first, down to `since`, a finishedOn in ms) and marks their delivery
 * failed, unless a retried job has written another answer since. Returns how many it marked and the
 * newest finishedOn it saw, from which the caller starts its next pass.
 */
export async function failStalledOutDeliveries(
  queue: WebhookQueue,
  events: ProjectEvents,
  logger: Pick<Logger, 'warn'>,
  since: number,
): Promise<{ marked: number; newest: number }> {
  let marked = 0;
  let newest = since;
  for (let start = 0; ; start += PAGE) {
    const jobs = await queue.getFailed(start, start + PAGE - 1);
    for (const job of jobs) {
      const finishedOn = job.finishedOn ?? 0;
      // Jobs failed since the last pass are all newer than it; an older one means the rest are too.
      if (finishedOn < since) return { marked, newest };
      newest = Math.max(newest, finishedOn);
      if (job.failedReason !== STALLED_OUT_REASON) continue;
      const { projectId, eventId } = job.data;
      const written = await events.failPendingDelivery(projectId, eventId, {
        state: 'failed',
        // The last start is BullMQ failing the job, which sends nothing.
        attempts: Math.max(job.attemptsStarted - 1, 0),
        lastError: `the worker sending it died ${job.stalledCounter} times (${STALLED_OUT_REASON}); retry it in Bull Board (/admin/queues)`,
        lastAttemptAt: new Date(finishedOn).toISOString(),
      });
      if (written) {
        marked += 1;
        logger.warn({ projectId, eventId, jobId: job.id }, 'webhook job stalled out: delivery marked failed');
      }
    }
    if (jobs.length < PAGE) return { marked, newest };
  }
}
