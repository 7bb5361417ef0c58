import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { QUEUES } from '@hardfix/contracts';
import {
  closeQueues,
  createLogger,
  createQueues,
  createRedisClient,
  enqueueStage,
  FixLibrary,
  MANIFEST_FILE,
  ProjectStore,
} from '@hardfix/core';
import { createRedisFixture, startFakeAnthropic } from '@hardfix/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { BROKEN_AREA, FIXED_AREA_BLOCK, stillBroken } from './programs.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** A real worker process, as `docker compose` runs it. */
function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/worker/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`worker did not start:\n${out}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('worker started')) {
        clearTimeout(timer);
        ok(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => fail(new Error(`worker exited with ${code}:\n${out}`)));
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a worker killed with SIGKILL in the middle of a hard-fix attempt', () => {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('leaves the project to the next worker, which delivers it exactly once', async () => {
    const redis = await createRedisFixture();
    cleanups.push(() => redis.cleanup());
    const fake = await startFakeAnthropic({ apiKey: 'test-anthropic-key' });
    cleanups.push(() => fake.close());
    const deliveryDir = await mkdtemp(join(tmpdir(), 'hardfix-crash-'));
    cleanups.push(() => rm(deliveryDir, { recursive: true, force: true }));

    let calls = 0;
    fake.setHandler((req) => {
      if (req.toolName !== 'replace_block') return undefined;
      calls += 1;
      // The first answer takes long enough for the test to kill the worker while it waits for it.
      if (calls > 1) return { tool: { code: FIXED_AREA_BLOCK } };
      // biome-ignore lint/suspicious/noThenProperty: the fake's reply shape, not a promise
      return { delayMs: 5_000, then: { tool: { code: stillBroken(1) } } };
    });

    const env = {
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
      ANTHROPIC_API_KEY: 'test-anthropic-key',
      ANTHROPIC_BASE_URL: fake.url,
      RETRY_INTERVAL_MS: '50',
      JOB_LOCK_MS: '1000',
      DELIVERY_DIR: deliveryDir,
      LOG_LEVEL: 'info',
    };
    const first = await startWorkerProcess(env);
    children.push(first);

    const logger = createLogger('silent');
    const producer = createRedisClient(redis.url, 'worker', logger, 'test');
    const queues = createQueues(producer, redis.prefix);
    cleanups.push(async () => {
      await closeQueues(queues);
      await producer.quit();
    });
    const store = new ProjectStore(producer, redis.prefix);
    const created = await store.create({
      name: 'crash-me',
      language: 'python',
      status: 'queued',
      stage: 'import',
      files: { files: [BROKEN_AREA] },
    });
    if (!created.created) throw new Error('name taken');
    const id = created.project.id;
    await enqueueStage(queues, QUEUES.hardFix, id, 1);

    await until('the first fix request', async () => (calls >= 1 ? true : undefined));
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const second = await startWorkerProcess(env);
    children.push(second);
    const project = await until('delivery', async () => {
      const p = await store.get(id);
      return p?.status === 'delivered' || p?.status === 'manual-review' ? p : undefined;
    });

    expect(project.status).toBe('delivered');
    expect(project.attempts.filter((a) => a.stage === 'hard-fix' && a.n === 1)).toHaveLength(1);
    expect(project.attempts.at(-1)).toMatchObject({ stage: 'hard-fix', n: 1, outcome: 'passed' });
    expect(await readdir(deliveryDir)).toEqual(['crash-me']);
    const manifest = JSON.parse(await readFile(join(deliveryDir, 'crash-me', MANIFEST_FILE), 'utf8'));
    expect(manifest.projectId).toBe(id);
    const fixes = new FixLibrary(producer, redis.prefix);
    expect(await fixes.size()).toBe(1);
  });
});
