import { MANUAL_QUEUE, type ManualJob, type ManualOutcome } from '@hardfix/contracts';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export type ManualQueue = Queue<ManualJob, ManualOutcome>;

/**
 * The queue of reviewers' fixes (see MANUAL_QUEUE). One try: a person is waiting, so a job that fails
 * is answered at once rather than retried for minutes. A job whose worker died is still taken over
 * (BullMQ's stalled-job check), and finished jobs are kept a while so a repeated request with the same
 * job id can read the outcome.
 */
export function createManualQueue(connection: Redis, prefix: string): ManualQueue {
  return new Queue<ManualJob, ManualOutcome>(MANUAL_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 1,
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    },
  });
}
