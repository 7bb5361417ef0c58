import { QUEUE_NAMES, type QueueName, type StageJob, stageJobId } from '@hardfix/contracts';
import { type DefaultJobOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * BullMQ-level retries are only for transient trouble (Redis blips, an LLM outage after the SDK's own
 * retries); they never count as a generation or fix attempt, which lives in the job data (`n`).
 */
export const STAGE_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 2_000 },
  // Completed hand-offs are kept a while so a duplicate add with the same id stays a no-op.
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export type StageQueues = Record<QueueName, Queue<StageJob>>;

export function createQueues(connection: Redis, prefix: string): StageQueues {
  const entries = QUEUE_NAMES.map(
    (name) =>
      [
        name,
        new Queue<StageJob>(name, { connection, prefix, defaultJobOptions: STAGE_JOB_OPTIONS }),
      ] as const,
  );
  return Object.fromEntries(entries) as StageQueues;
}

/**
 * Hands a project to attempt `n` of a stage. The job id is derived from (stage, project, n), so a
 * repeated hand-off — after a crash, a stalled job, or a double click — adds nothing.
 */
export async function enqueueStage(
  queues: StageQueues,
  queue: QueueName,
  projectId: string,
  n: number,
  delayMs = 0,
): Promise<void> {
  await queues[queue].add(
    queue,
    { projectId, n },
    { jobId: stageJobId(queue, projectId, n), delay: delayMs },
  );
}

export async function closeQueues(queues: StageQueues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
