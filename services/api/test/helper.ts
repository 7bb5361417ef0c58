import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  closeQueues,
  createManualQueue,
  createQueues,
  createRedisClient,
  createWebhookQueue,
  type Env,
  loadEnv,
  logBullErrors,
  ProjectStore,
  type StageQueues,
} from '@hardfix/core';
import { createRedisFixture, type RedisFixture } from '@hardfix/testkit';
import type { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { test as base } from 'vitest';
import { startWorkerProcess } from '../../worker/test/worker-process.js';
import { type App, buildApp } from '../src/app.js';
import { waitForRedis } from '../src/lib/wait-for-redis.js';

export const TOKEN = 'test-token-0123456789';
export const AUTH = { authorization: `Bearer ${TOKEN}` };

export interface TestApi {
  app: App;
  env: Env;
  /** The app's own producer connection. */
  redis: Redis;
  store: ProjectStore;
  queues: StageQueues;
  /** A plain connection and this test's key prefix (everything under it is deleted afterwards). */
  fixture: RedisFixture;
  /** DELIVERY_DIR: a fresh temporary folder, removed afterwards. */
  deliveryDir: string;
}

export const silentLogger: Logger = pino({ level: 'silent' });

export interface StartOptions {
  /** Point the app's producer connection somewhere else (e.g. a closed port). */
  redisUrl?: string;
  bodyLimit?: number;
  /** More environment (e.g. WEBHOOK_SECRET), validated like the real thing. */
  env?: Record<string, string>;
}

/** An app on real Redis and real BullMQ queues under a fresh prefix; `close` releases everything. */
export async function startTestApi(opts: StartOptions = {}): Promise<TestApi & { close(): Promise<void> }> {
  const fixture = await createRedisFixture();
  const deliveryDir = await mkdtemp(join(tmpdir(), 'hardfix-api-delivery-'));
  const env = loadEnv({
    REDIS_URL: opts.redisUrl ?? fixture.url,
    QUEUE_PREFIX: fixture.prefix,
    API_TOKEN: TOKEN,
    DELIVERY_DIR: deliveryDir,
    ...opts.env,
  });
  const redis = createRedisClient(env.REDIS_URL, 'producer', silentLogger);
  if (!opts.redisUrl) await waitForRedis(redis, 5_000);
  const queues = createQueues(redis, env.QUEUE_PREFIX);
  const store = new ProjectStore(redis, env.QUEUE_PREFIX);
  const webhookQueue = createWebhookQueue(redis, env.QUEUE_PREFIX);
  const manualQueue = createManualQueue(redis, env.QUEUE_PREFIX);
  // As startApi does: a queue without an error listener prints a stack trace per reconnect.
  logBullErrors({ ...queues, manual: manualQueue, webhooks: webhookQueue }, silentLogger);
  const app = buildApp({
    env,
    redis,
    store,
    queues,
    webhookQueue,
    manualQueue,
    logger: silentLogger,
    apiToken: TOKEN,
    ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}),
  });
  await app.ready();
  const close = async () => {
    await app.close();
    await closeQueues(queues);
    await webhookQueue.close();
    await manualQueue.close();
    if (redis.status === 'ready') await redis.quit();
    else redis.disconnect();
    await fixture.cleanup();
    await rm(deliveryDir, { recursive: true, force: true });
  };
  return { app, env, redis, store, queues, fixture, deliveryDir, close };
}

/** Vitest fixture: `api` is a fresh app per test, closed and its keys deleted afterwards. */
export const test = base.extend<{ api: TestApi }>({
  api: async ({ task: _task }, use) => {
    const api = await startTestApi();
    try {
      await use(api);
    } finally {
      await api.close();
    }
  },
});

export function createBody(overrides: Record<string, unknown> = {}) {
  return { name: 'resizer', language: 'python', prompt: 'write a python image resizer', ...overrides };
}

/**
 * A real worker process on the app's prefix, as `docker compose` runs one beside the API: the API
 * verifies nothing itself, so a resolve needs a worker to answer it.
 */
export async function startWorkerFor(
  api: TestApi,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; close(): Promise<void> }> {
  const child = await startWorkerProcess({
    REDIS_URL: api.env.REDIS_URL,
    QUEUE_PREFIX: api.env.QUEUE_PREFIX,
    DELIVERY_DIR: api.deliveryDir,
    VERIFY_TIMEOUT_MS: String(api.env.VERIFY_TIMEOUT_MS),
    LOG_LEVEL: 'info',
    ...env,
  });
  return {
    child,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      // A test may have paused it.
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Every job the hard-fix queue holds or has held (the API only adds them: no worker runs here). */
export function hardFixJobs(api: TestApi) {
  return api.queues['hard-fix'].getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
}
