import { QUEUE_NAMES, type QueueName, type StageJob } from '@hardfix/contracts';
import { LeaseLostError, withFence } from '@hardfix/core';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { BudgetReachedError } from './budget.js';
import type { StageDeps } from './deps.js';
import { handleStageError } from './stage-errors.js';
import { createGenerationStage } from './stages/generation.js';
import { createHardFixStage } from './stages/hard-fix.js';
import { createSmartRetryStage } from './stages/smart-retry.js';
import { markStuck } from './stuck.js';

export type StageProcessor = (job: StageJob) => Promise<unknown>;

export function createStageProcessors(deps: StageDeps): Record<QueueName, StageProcessor> {
  return {
    generation: createGenerationStage(deps),
    'smart-retry': createSmartRetryStage(deps),
    'hard-fix': createHardFixStage(deps),
  };
}

export interface WorkerOptions {
  connection: Redis;
  concurrency: number;
  lockDurationMs: number;
}

/** One BullMQ worker per stage queue, all in this process. */
export function createStageWorkers(deps: StageDeps, options: WorkerOptions): Worker<StageJob>[] {
  const processors = createStageProcessors(deps);
  return QUEUE_NAMES.map((name) => {
    const processor = processors[name];
    const worker = new Worker<StageJob>(
      name,
      async (job, token) => {
        // The job's BullMQ lock is the fencing token: every store write below checks it atomically,
        // the parking of an outage included.
        const fence = { key: `${job.queueQualifiedName}:${job.id}:lock`, token: token ?? '' };
        const run = async () => {
          try {
            return await deps.metrics.stage.time({ stage: name }, () => processor(job.data));
          } catch (err) {
            if (err instanceof LeaseLostError) {
              // Another worker owns this job now; this runner stops and writes nothing more (BullMQ's
              // own completion of the job fails too, for the same lock).
              deps.logger.warn({ queue: name, jobId: job.id, projectId: job.data.projectId }, 'lease lost');
              throw err;
            }
            // The project is in manual review already; this job is done, not failed.
            if (err instanceof BudgetReachedError) return 'budget';
            return handleStageError(err, job, token, deps.queues[name], deps);
          }
        };
        return token ? withFence(fence, run) : run();
      },
      {
        connection: options.connection,
        prefix: deps.env.QUEUE_PREFIX,
        concurrency: options.concurrency,
        lockDuration: options.lockDurationMs,
        stalledInterval: options.lockDurationMs,
        // A job whose worker died is picked up again; only a job that keeps killing workers fails.
        maxStalledCount: 5,
        // Started by the sandbox gate once the self-test passes.
        autorun: false,
      },
    );
    worker.on('failed', (job, err) => {
      deps.logger.error({ queue: name, jobId: job?.id, err: err.message }, 'job failed');
      // Out of BullMQ retries (a bug, or Redis trouble that outlasted them): the project would wait
      // silently forever, so it says why and where to act. The job stays in the failed set. A lost
      // lease is not a failure: the new owner carries on. (A job failed for stalling too often raises
      // no event here; the orphan sweep parks its project.)
      if (job && !(err instanceof LeaseLostError) && job.attemptsMade >= (job.opts.attempts ?? 1))
        void markStuck(deps, job.data.projectId, name, err.message);
    });
    worker.on('error', (err) => deps.logger.error({ queue: name, err: err.message }, 'worker error'));
    return worker;
  });
}
