import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningApi, startApi } from '@hardfix/api';
import {
  type Language,
  type Project,
  type ProjectFile,
  type ProjectStatus,
  QUEUES,
  type QueueName,
  type StageJob,
  stageJobId,
} from '@hardfix/contracts';
import {
  closeInSteps,
  createLogger,
  createWebhookQueue,
  type Env,
  enqueueStage,
  keys,
  loadEnv,
  ProjectStore,
  RELAY_GROUP,
} from '@hardfix/core';
import type { Sandbox } from '@hardfix/sandbox';
import {
  createRedisFixture,
  deleteKeysWithPrefix,
  type FakeAnthropic,
  type FakeAnthropicOptions,
  type RedisFixture,
  startFakeAnthropic,
} from '@hardfix/testkit';
import type { Queue } from 'bullmq';
import { afterEach } from 'vitest';
import { type RunningWorker, startWorker } from '../src/index.js';
import { fileSandbox } from './file-sandbox.js';

export const API_TOKEN = 'test-token-123456';

export interface Harness {
  env: Env;
  fake: FakeAnthropic;
  redis: RedisFixture;
  api: RunningApi;
  worker: RunningWorker;
  store: ProjectStore;
  deliveryDir: string;
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  get(path: string): Promise<{ status: number; body: Record<string, unknown> }>;
  waitForStatus(id: string, statuses: ProjectStatus[], timeoutMs?: number): Promise<Project>;
  /** What POST /projects/import does: the project as failed elsewhere, handed to the hard-fix queue. */
  importProject(name: string, language: Language, files: ProjectFile[], entry?: string): Promise<string>;
  /**
   * Resolves once no stage or webhook job is waiting, delayed, prioritised or running and the event
   * relay has read and acknowledged every outbox entry: the worker has had its chance, so a "nothing
   * more happened" assertion after it proves something (a fixed sleep does not).
   */
  settled(timeoutMs?: number): Promise<void>;
  /** Resolves once no webhook job is pending and the relay has read and acknowledged the whole outbox. */
  relayed(timeoutMs?: number): Promise<void>;
  /** The data of stage job `n` of a project (e.g. its `deferrals`: how often a parked job re-checked). */
  jobData(queue: QueueName, projectId: string, n: number): Promise<StageJob | undefined>;
  close(): Promise<void>;
}

/** Polls `check` every 50 ms until it holds; throws `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not so after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The whole service on real parts: a Redis prefix of its own, the API on a free port, a worker, and the
 * real Anthropic SDK talking to the local fake Messages API. Intervals are shortened through the env.
 */
export async function startHarness(
  overrides: Record<string, string> = {},
  /** `braced`: QUEUE_PREFIX in Redis Cluster hashtag form, `{<prefix>}`. */
  options: {
    redisUrl?: string;
    braced?: boolean;
    /** A sandbox of the test's own (e.g. a broken one); by default the file's shared one (file-sandbox.ts). */
    sandbox?: Sandbox;
    /** A sandbox of its own, built and self-tested as in production, instead of the file's shared one. */
    ownSandbox?: boolean;
    fake?: Omit<FakeAnthropicOptions, 'apiKey'>;
  } = {},
): Promise<Harness> {
  const redis = await createRedisFixture(options.redisUrl ? { redisUrl: options.redisUrl } : {});
  const fake = await startFakeAnthropic({ ...options.fake, apiKey: 'test-anthropic-key' });
  const deliveryDir = await mkdtemp(join(tmpdir(), 'hardfix-delivered-'));
  const env = loadEnv({
    REDIS_URL: redis.url,
    QUEUE_PREFIX: options.braced ? `{${redis.prefix}}` : redis.prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    API_TOKEN,
    ANTHROPIC_API_KEY: 'test-anthropic-key',
    ANTHROPIC_BASE_URL: fake.url,
    RETRY_INTERVAL_MS: '100',
    VERIFY_TIMEOUT_MS: '20000',
    // A model call the local endpoint never answers cannot hold a test (or its close, which waits for
    // running jobs) past the hook's 60 s: three tries of 10 s at most, where production allows 5 min.
    LLM_TIMEOUT_MS: '10000',
    DELIVERY_DIR: deliveryDir,
    WORKER_CONCURRENCY: '4',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  });
  const logger = createLogger(env.LOG_LEVEL, 'test');
  // A test that configures the sandbox (its mode, its work dir) gets one built from that configuration.
  const own = options.ownSandbox || Object.keys(overrides).some((name) => name.startsWith('SANDBOX_'));
  const viewed = options.sandbox || own ? undefined : await fileSandbox();
  const sandbox = options.sandbox ?? viewed?.sandbox;
  const worker = await startWorker(env, logger, sandbox ? { sandbox } : {});
  const api = await startApi(env, logger);
  const store = new ProjectStore(redis.redis, env.QUEUE_PREFIX);
  const webhooks = createWebhookQueue(redis.redis, env.QUEUE_PREFIX);

  const request = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${API_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  return {
    env,
    fake,
    redis,
    api,
    worker,
    store,
    deliveryDir,
    post: (path, body) => request('POST', path, body),
    get: (path) => request('GET', path),
    waitForStatus: async (id, statuses, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const project = await store.get(id);
        if (project && statuses.includes(project.status)) return project;
        if (Date.now() > deadline) {
          throw new Error(
            `project ${id} did not reach ${statuses.join('|')} in ${timeoutMs} ms; it is ${JSON.stringify(project, null, 2)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    importProject: async (name, language, files, entry) => {
      const result = await store.create({
        name,
        language,
        status: 'queued',
        stage: 'import',
        ...(entry ? { entry } : {}),
        files: { files, ...(entry ? { entry } : {}) },
      });
      if (!result.created) throw new Error(`name ${name} is taken`);
      await enqueueStage(worker.deps.queues, QUEUES.hardFix, result.project.id, 1);
      return result.project.id;
    },
    settled: (timeoutMs = 30_000) =>
      waitUntil(
        async () =>
          (await idle([...Object.values(worker.deps.queues), webhooks])) &&
          outboxRelayed(redis.redis, keys(env.QUEUE_PREFIX).events),
        'every queue idle and the outbox relayed',
        timeoutMs,
      ),
    relayed: (timeoutMs = 30_000) =>
      waitUntil(
        async () => (await idle([webhooks])) && outboxRelayed(redis.redis, keys(env.QUEUE_PREFIX).events),
        'the webhook queue idle and the outbox relayed',
        timeoutMs,
      ),
    jobData: async (queue, projectId, n) =>
      (await worker.deps.queues[queue].getJob(stageJobId(queue, projectId, n)))?.data,
    close: async () => {
      // A close that hangs fails the test on the hook's timeout; these lines say where it hung.
      const onSlow = (step: string, waitedMs: number) =>
        console.error(`harness close: ${step} still running after ${waitedMs} ms`);
      await closeInSteps(
        [
          ['api', () => api.close()],
          ['webhook queue handle', () => webhooks.close()],
          ['worker', () => worker.close((step, ms) => onSlow(`worker: ${step}`, ms))],
          ['sandbox view', async () => viewed?.release()],
          ['fake Messages API', () => fake.close()],
          [
            'redis keys',
            async () => {
              if (options.braced) await deleteKeysWithPrefix(redis.redis, env.QUEUE_PREFIX);
              await redis.cleanup();
            },
          ],
        ],
        onSlow,
      );
      await rm(deliveryDir, { recursive: true, force: true });
    },
  };
}

/** Whether none of these queues has a job waiting, delayed, prioritised or running. */
async function idle(queues: Queue[]): Promise<boolean> {
  for (const queue of queues) {
    const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
    if (Object.values(counts).some((c) => c > 0)) return false;
  }
  return true;
}

/** Whether the relay's group has read every outbox entry and holds none unacknowledged. */
async function outboxRelayed(redis: RedisFixture['redis'], stream: string): Promise<boolean> {
  if (!(await redis.exists(stream))) return true;
  const last = String((await redis.xrevrange(stream, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0');
  const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
  const group = groups.map(toRecord).find((g) => g.name === RELAY_GROUP);
  if (!group) return false;
  return Number(group.pending) === 0 && !idBefore(String(group['last-delivered-id']), last);
}

/** Stream ids ("<ms>-<seq>") in order. */
function idBefore(a: string, b: string): boolean {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  return am < bm || (am === bm && as < bs);
}

function toRecord(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/** For a describe block: a `startHarness` whose harness is closed after each test. */
export function harnessPerTest(): typeof startHarness {
  let running: Harness | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });
  return async (...args) => {
    running = await startHarness(...args);
    return running;
  };
}
