import { Writable } from 'node:stream';
import { loadEnv } from '@hardfix/core';
import { createRedisFixture, type RedisFixture } from '@hardfix/testkit';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningApi, startApi } from '../src/index.js';
import { createBody } from './helper.js';

/** A logger whose lines the test can read. */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('startApi', () => {
  let fixture: RedisFixture;
  let api: RunningApi | undefined;

  beforeEach(async () => {
    fixture = await createRedisFixture();
  });
  afterEach(async () => {
    await api?.close();
    api = undefined;
    await fixture.cleanup();
  });

  const envFor = (extra: Record<string, string> = {}) =>
    loadEnv({ REDIS_URL: fixture.url, QUEUE_PREFIX: fixture.prefix, HOST: '127.0.0.1', PORT: '0', ...extra });

  it('without API_TOKEN generates a token, logs it exactly once, and requires it for writes', async () => {
    const { logger, lines } = capturingLogger();
    api = await startApi(envFor(), logger);
    expect(api.apiToken.length).toBeGreaterThanOrEqual(24);

    const post = (token: string) =>
      fetch(`${api?.url}/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(createBody()),
      });
    expect((await post('not-the-token')).status).toBe(401);
    const res = await post(api.apiToken);
    expect(res.status).toBe(202);
    // Ready at once: the API has no sandbox of its own, and no worker here reports a broken one.
    expect((await fetch(`${api.url}/ready`)).status).toBe(200);

    expect(lines.filter((l) => l.includes(api?.apiToken ?? '?'))).toHaveLength(1);
  });

  it('with API_TOKEN uses it and never logs it', async () => {
    const { logger, lines } = capturingLogger();
    const token = 'configured-token-123';
    api = await startApi(envFor({ API_TOKEN: token }), logger);
    expect(api.apiToken).toBe(token);
    const res = await fetch(`${api.url}/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(createBody()),
    });
    expect(res.status).toBe(202);
    expect(lines.some((l) => l.includes(token))).toBe(false);
  });

  it('close() stops listening and releases Redis; calling it again is harmless', async () => {
    const { logger } = capturingLogger();
    api = await startApi(envFor({ API_TOKEN: 'configured-token-123' }), logger);
    const { url, app } = api;
    await api.close();
    await api.close();
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    expect(app.redis.status).toBe('end');
    for (const queue of Object.values(app.queues)) expect(queue.closing).toBeDefined();
  });
});
