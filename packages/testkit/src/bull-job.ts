import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { connectRedis } from './redis-fixture.js';

/** A BullMQ job's lock, as a stage worker fences its writes with it (services/worker/src/worker.ts). */
export interface JobLock {
  /** `<prefix>:<queue>:<job id>:lock`, which BullMQ holds while the job runs. */
  key: string;
  /** The value this worker holds it with. */
  token: string;
}

/**
 * Runs `body` as the processor of one real BullMQ job (a queue of its own under `prefix`) and hands it
 * the job's lock. Settles with what `body` resolved or rejected with; the job itself may then fail to
 * complete (a test that moved the lock made BullMQ refuse this worker too), which is not reported.
 */
export async function runInJob<T>(
  redisUrl: string,
  prefix: string,
  body: (lock: JobLock) => Promise<T>,
): Promise<PromiseSettledResult<T>> {
  const name = `job-${randomBytes(4).toString('hex')}`;
  const connection = connectRedis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection, prefix });
  let settle: (result: PromiseSettledResult<T>) => void = () => {};
  const settled = new Promise<PromiseSettledResult<T>>((resolve) => {
    settle = resolve;
  });
  const worker = new Worker(
    name,
    async (job, token) => {
      const lock = { key: `${job.queueQualifiedName}:${job.id}:lock`, token: token ?? '' };
      try {
        settle({ status: 'fulfilled', value: await body(lock) });
      } catch (reason) {
        settle({ status: 'rejected', reason });
      }
    },
    { connection, prefix },
  );
  worker.on('error', () => {});
  try {
    await queue.add(name, {});
    return await settled;
  } finally {
    await worker.close();
    await queue.close();
    await connection.quit().catch(() => connection.disconnect());
  }
}
