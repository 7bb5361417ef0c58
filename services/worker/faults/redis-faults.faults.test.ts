import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startFakeAnthropic } from '@hardfix/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXED_AREA_BLOCK } from '../test/programs.js';
import { openProducer, startWorkerProcess, until, workerProcessEnv } from '../test/worker-process.js';
import { deliveryDirFor, expectDeliveredOnce, importBroken } from './fault-run.js';
import { PrivateRedis } from './private-redis.js';

/** Two workers on a private Redis; Redis is restarted, or every connection dropped, while they work. */
describe.each([
  { fault: 'Redis restarted (append-only file) while the model answers', restart: true },
  { fault: 'every client connection dropped while the model answers', restart: false },
])('$fault', ({ restart }) => {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('delivers every project exactly once, the fix counted once, no recorded answer asked twice', async () => {
    const server = await PrivateRedis.start();
    cleanups.push(() => server.stop());
    const redis = { url: server.url, prefix: `faults-${randomBytes(4).toString('hex')}` };
    const fake = await startFakeAnthropic({ apiKey: 'test-anthropic-key' });
    cleanups.push(() => fake.close());
    const deliveryDir = await deliveryDirFor(cleanups);
    fake.setHandler((req) =>
      req.toolName === 'replace_block'
        ? // biome-ignore lint/suspicious/noThenProperty: the fake's reply shape, not a promise
          { delayMs: 1_000, then: { tool: { code: FIXED_AREA_BLOCK } } }
        : undefined,
    );

    const env = workerProcessEnv(redis, fake.url, deliveryDir);
    children.push(await startWorkerProcess(env), await startWorkerProcess(env));
    const producer = openProducer(redis);
    cleanups.push(producer.close);
    const project = await importBroken(producer, 'redis-fault');

    await until('the model is asked', async () => (fake.callsFor('replace_block').length ? true : undefined));
    if (restart) await server.restart();
    else expect(await server.dropClients()).toBeGreaterThan(0);

    await expectDeliveredOnce(producer, redis.prefix, deliveryDir, project);
    // The answer was in flight, not recorded, when Redis went away: at most one more call for it.
    expect(fake.callsFor('replace_block').length).toBeLessThanOrEqual(2);
    for (const child of children) expect(child.exitCode).toBeNull();
  });
});
