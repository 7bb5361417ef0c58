import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { closeQueues, createLogger, createQueues, createRedisClient, ProjectStore } from '@hardfix/core';
import { VERIFY_MEMO_ENV } from '@hardfix/testkit';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The environment of a test's worker process: its own Redis prefix, the fake Claude, short waits. */
export function workerProcessEnv(
  redis: { url: string; prefix: string },
  fakeUrl: string,
  deliveryDir: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    REDIS_URL: redis.url,
    QUEUE_PREFIX: redis.prefix,
    ANTHROPIC_API_KEY: 'test-anthropic-key',
    ANTHROPIC_BASE_URL: fakeUrl,
    RETRY_INTERVAL_MS: '50',
    JOB_LOCK_MS: '1000',
    DELIVERY_DIR: deliveryDir,
    LOG_LEVEL: 'info',
    ...overrides,
  };
}

/** A real worker process, as `docker compose` runs it (its verifications replayed as below). */
export async function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const { child, started } = spawnWorkerProcess(env);
  await started;
  return child;
}

/**
 * The same, handed back at once: `started` settles on its "worker started" line (or its exit), so a
 * caller can watch for its death from the first moment (a process told to kill itself may die early).
 */
export function spawnWorkerProcess(env: Record<string, string>): {
  child: ChildProcess;
  started: Promise<void>;
} {
  // Under `pnpm test`, src/main.ts with the run's verification memo (replaying-worker-main.ts): the
  // process, its queues and its sandbox are the real ones, only a program verified before is replayed.
  const memo = process.env[VERIFY_MEMO_ENV];
  const main = memo ? 'services/worker/test/replaying-worker-main.ts' : 'services/worker/src/main.ts';
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(memo ? { [VERIFY_MEMO_ENV]: memo } : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = new Promise<void>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`worker did not start:\n${out}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('worker started')) {
        clearTimeout(timer);
        ok();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`worker exited with ${code ?? signal}:\n${out}`));
    });
  });
  return { child, started };
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The test's side of a worker-process test: a connection, the stage queues and the project store. */
export function openProducer(redis: { url: string; prefix: string }) {
  const producer = createRedisClient(redis.url, 'worker', createLogger('silent'), 'test');
  const queues = createQueues(producer, redis.prefix);
  return {
    producer,
    queues,
    store: new ProjectStore(producer, redis.prefix),
    close: async () => {
      await closeQueues(queues);
      await producer.quit();
    },
  };
}

// The faults suite imports it from here.
export { freePort } from '@hardfix/testkit';
