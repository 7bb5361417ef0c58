import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUEUES } from '@hardfix/contracts';
import { enqueueStage, FixLibrary, MANIFEST_FILE } from '@hardfix/core';
import { createRedisFixture, startFakeAnthropic } from '@hardfix/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { BROKEN_AREA, FIXED_AREA_BLOCK, stillBroken } from './programs.js';
import { openProducer, startWorkerProcess, until, workerProcessEnv } from './worker-process.js';

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

    const env = workerProcessEnv(redis, fake.url, deliveryDir);
    const first = await startWorkerProcess(env);
    children.push(first);

    const { producer, queues, store, close } = openProducer(redis);
    cleanups.push(close);
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
