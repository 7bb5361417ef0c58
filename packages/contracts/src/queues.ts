import { z } from 'zod';

/** Queue names; every Redis key also carries QUEUE_PREFIX. */
export const QUEUES = {
  generation: 'generation',
  smartRetry: 'smart-retry',
  hardFix: 'hard-fix',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QUEUES);

/**
 * Every job is "do attempt n of stage S for project P". Job ids are derived from exactly that, so
 * enqueuing the same hand-off twice (after a crash, or from two workers) is a no-op in BullMQ.
 */
export const stageJobSchema = z.object({
  projectId: z.string(),
  n: z.number().int().positive(),
  /** How often this job was put off by an outage (LLM down, no key); drives its backoff, never `n`. */
  deferrals: z.number().int().nonnegative().optional(),
});
export type StageJob = z.infer<typeof stageJobSchema>;

/** BullMQ forbids ':' in custom ids; '-' separated parts keep them readable in Bull Board. */
export function stageJobId(queue: QueueName, projectId: string, n: number): string {
  return `${queue}-${projectId}-${n}`;
}
