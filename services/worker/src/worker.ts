import {
  MANUAL_QUEUE,
  type ManualJob,
  type ManualOutcome,
  manualJobSchema,
  QUEUE_NAMES,
  type QueueName,
  type StageJob,
} from '@hardfix/contracts';
import { type Fence, LeaseLostError, logBullErrors, withFence } from '@hardfix/core';
import { type WorkerOptions as BullWorkerOptions, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { BudgetReachedError } from './budget.js';
import type { StageDeps } from './deps.js';
import { handleStageError } from './stage-errors.js';
import { createGenerationStage } from './stages/generation.js';
import { createHardFixStage } from './stages/hard-fix.js';
import { createManualStage } from './stages/manual.js';
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
  maxStalledCount: number;
}

/** One BullMQ worker per stage queue, all in this process. */
export function createStageWorkers(deps: StageDeps, options: WorkerOptions): Worker<StageJob>[] {
  const processors = createStageProcessors(deps);
  return QUEUE_NAMES.map((name) => {
    const processor = processors[name];
    const worker = new Worker<StageJob>(
      name,
      async (job, token) => {
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
        return withJobFence(job, token, run);
      },
      bullOptions(deps, options),
    );
    worker.on('failed', (job, err) => {
      deps.logger.error({ queue: name, jobId: job?.id, err: err.message }, 'job failed');
      // Out of BullMQ retries (a bug, or Redis trouble that outlasted them): the project would wait
      // silently forever, so it says why and where to act. The job stays in the failed set. A lost
      // lease is not a failure: the new owner carries on. (A job that stalled too often is failed by
      // BullMQ, with an UnrecoverableError, when a worker next takes it, whatever its attempts; the
      // orphan sweep parks its project.)
      if (job && !(err instanceof LeaseLostError) && job.attemptsMade >= (job.opts.attempts ?? 1))
        void markStuck(deps, job.data.projectId, name, err.message);
    });
    logBullErrors({ [name]: worker }, deps.logger, { level: 'error', what: 'worker' });
    return worker;
  });
}

/**
 * The worker of reviewers' fixes (MANUAL_QUEUE): the same attempt as every stage, fenced the same way;
 * its answer is the job's return value, which the API is waiting for.
 */
export function createManualWorker(
  deps: StageDeps,
  options: WorkerOptions,
): Worker<ManualJob, ManualOutcome> {
  const processor = createManualStage(deps);
  const worker = new Worker<ManualJob, ManualOutcome>(
    MANUAL_QUEUE,
    async (job, token) => {
      const data = manualJobSchema.parse(job.data);
      return withJobFence(job, token, () =>
        deps.metrics.stage.time({ stage: MANUAL_QUEUE }, () => processor(data)),
      );
    },
    bullOptions(deps, options),
  );
  logBullErrors({ [MANUAL_QUEUE]: worker }, deps.logger, { level: 'error', what: 'worker' });
  return worker;
}

/**
 * The job's BullMQ lock is the fencing token: every store write in `work` checks it atomically, the
 * parking of an outage included.
 */
function withJobFence<T>(job: Job, token: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!token) return work();
  const fence: Fence = { key: `${job.queueQualifiedName}:${job.id}:lock`, token };
  return withFence(fence, work);
}

function bullOptions(deps: StageDeps, options: WorkerOptions): BullWorkerOptions {
  return {
    connection: options.connection,
    prefix: deps.env.QUEUE_PREFIX,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.lockDurationMs,
    // A job whose worker died is picked up again; only a job that keeps killing workers fails.
    maxStalledCount: options.maxStalledCount,
    // Started by the sandbox gate once the self-test passes.
    autorun: false,
  };
}
