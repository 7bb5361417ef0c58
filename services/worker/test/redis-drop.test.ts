import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { freePort } from '@hardfix/testkit';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { BROKEN_AREA, FIXED_AREA_BLOCK } from './programs.js';

/** A Redis of this test's own, so dropping every connection cannot disturb other tests. */
async function startPrivateRedis(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return { url, process: child };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('private redis-server did not start');
}

describe('a dropped Redis connection', () => {
  let h: Harness | undefined;
  let server: ChildProcess | undefined;
  afterEach(async () => {
    await h?.close();
    server?.kill('SIGKILL');
    h = undefined;
  });

  it('in the middle of a hard-fix attempt loses nothing and delivers once', async () => {
    const redis = await startPrivateRedis();
    server = redis.process;
    h = await startHarness({ RETRY_INTERVAL_MS: '50' }, { redisUrl: redis.url });
    const harness = h;
    let asked = 0;
    harness.fake.setHandler((req) => {
      if (req.toolName !== 'replace_block') return undefined;
      asked += 1;
      // biome-ignore lint/suspicious/noThenProperty: the fake's reply shape, not a promise
      return { delayMs: 1_000, then: { tool: { code: FIXED_AREA_BLOCK } } };
    });
    const id = await harness.importProject('drop-me', 'python', [BROKEN_AREA]);
    const deadline = Date.now() + 20_000;
    while (asked === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(asked).toBe(1);

    // Every client connection is cut while the worker waits for the model (data stays in Redis).
    const admin = new Redis(redis.url);
    const killed = Number(await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes'));
    await admin.quit();
    expect(killed).toBeGreaterThan(0);

    const project = await harness.waitForStatus(id, ['delivered', 'manual-review'], 60_000);
    expect(project.status).toBe('delivered');
    expect(project.attempts.filter((a) => a.stage === 'hard-fix')).toHaveLength(1);
    expect(await readdir(harness.deliveryDir)).toEqual(['drop-me']);
    const fixes = await harness.get('/fixes');
    expect(fixes.body.total).toBe(1);
  });
});
