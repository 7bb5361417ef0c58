import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventDelivery } from '@hardfix/contracts';
import {
  createLogger,
  createRedisClient,
  createWebhookQueue,
  ProjectEvents,
  webhookJobOptions,
} from '@hardfix/core';
import { createRedisFixture, type RedisFixture } from '@hardfix/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Resolve } from '../src/webhooks/pinned-lookup.js';
import { createWebhookWorker } from '../src/webhooks/webhook-worker.js';

const SECRET = 'address-test-secret-0123456789';
/** What an internal service answers: it must never reach a delivery state or a log a caller sees. */
const INTERNAL_ANSWER = 'INTERNAL-ONLY root:x:0:0 redis_version:7.2 '.repeat(50);

/** A local server that counts connections and requests, and answers every request with `status`. */
async function startInternalService(status = 500) {
  let connections = 0;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => res.writeHead(status, 'Internal Detail Here').end(INTERNAL_ANSWER));
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    counts: () => ({ connections, requests }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
}

describe('callbacks go to public addresses only, unless WEBHOOK_ALLOWED_HOSTS names the host', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(allowedHosts: string | undefined, resolve?: Resolve) {
    const redis: RedisFixture = await createRedisFixture();
    cleanups.push(() => redis.cleanup());
    const service = await startInternalService();
    cleanups.push(() => service.close());
    const logger = createLogger('silent');
    const connection = createRedisClient(redis.url, 'worker', logger, 'address-test');
    const queue = createWebhookQueue(connection, redis.prefix);
    const events = new ProjectEvents(redis.redis, redis.prefix);
    const worker = createWebhookWorker({
      connection,
      prefix: redis.prefix,
      events,
      logger,
      secret: SECRET,
      allowedHosts,
      backoffMs: 100,
      timeoutMs: 2_000,
      concurrency: 4,
      lockDurationMs: 5_000,
      ...(resolve ? { resolve } : {}),
    });
    cleanups.push(async () => {
      await worker.close();
      await queue.close();
      await connection.quit();
    });
    /** Queues a webhook to `url` as the relay would (as if accepted under an older rule), for project `n`. */
    const send = async (n: number, url: string) => {
      const eventId = `evt-p${n}-1`;
      await queue.add(
        'webhooks',
        { eventId, projectId: `p${n}`, url, body: '{}' },
        webhookJobOptions(100, eventId),
      );
      return eventId;
    };
    const settled = async (n: number, state: EventDelivery['state']) => {
      await expect
        .poll(async () => (await events.getDelivery(`p${n}`, `evt-p${n}-1`))?.state, { timeout: 10_000 })
        .toBe(state);
      return (await events.getDelivery(`p${n}`, `evt-p${n}-1`)) as EventDelivery;
    };
    return { redis, service, queue, events, send, settled };
  }

  it('refuses each loopback spelling without making a request, and says why', async () => {
    const { service, send, settled, queue } = await setUp(undefined);
    const spellings = [
      `http://2130706433:${service.port}/`,
      `http://127.1:${service.port}/`,
      `http://0x7f000001:${service.port}/`,
      `http://[::ffff:127.0.0.1]:${service.port}/`,
      `http://localhost:${service.port}/`,
      `http://localhost.:${service.port}/`,
      `http://0.0.0.0:${service.port}/`,
      `http://[::1]:${service.port}/`,
    ];
    for (const [i, url] of spellings.entries()) await send(i, url);
    for (const [i, url] of spellings.entries()) {
      const delivery = await settled(i, 'failed');
      expect(delivery.lastError, url).toMatch(
        /^callbackUrl host .* is (a loopback|an IPv4-mapped|an unspecified) (address|name); callbacks go only to public addresses unless WEBHOOK_ALLOWED_HOSTS names the host$/,
      );
      // Failed at once: an internal address is not a passing outage to retry for a day.
      expect(delivery.attempts, url).toBe(1);
      expect((await queue.getJob(`evt-p${i}-1`))?.attemptsMade, url).toBe(1);
    }
    expect(service.counts()).toEqual({ connections: 0, requests: 0 });
  });

  it('judges a host name by the address it resolves to, and connects to that same address', async () => {
    const lookups: string[] = [];
    // Stands in for DNS: every name resolves to the internal service's address.
    const resolve: Resolve = async (hostname) => {
      lookups.push(hostname);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const refused = await setUp(undefined, resolve);
    await refused.send(1, `http://hooks.example.test:${refused.service.port}/hook`);
    const delivery = await refused.settled(1, 'failed');
    expect(delivery.lastError).toBe(
      'callbackUrl host hooks.example.test resolves to an address callbacks may not reach (127.0.0.1 is a loopback address); callbacks go only to public addresses unless WEBHOOK_ALLOWED_HOSTS names the host',
    );
    expect(refused.service.counts()).toEqual({ connections: 0, requests: 0 });
    expect(lookups).toEqual(['hooks.example.test']);

    // Named by the operator, the same host is reached, at the one address its lookup returned: the name
    // exists nowhere else, so the connection can only have used that answer.
    lookups.length = 0;
    const allowed = await setUp('hooks.example.test', resolve);
    await allowed.send(2, `http://hooks.example.test:${allowed.service.port}/hook`);
    await allowed.settled(2, 'pending');
    expect(allowed.service.counts()).toMatchObject({ requests: 1 });
    expect(lookups).toEqual(['hooks.example.test']);
  });

  it('stores and shows only the status code and its standard phrase, never the answer body', async () => {
    const { service, send, settled, events, redis } = await setUp('127.0.0.1');
    await send(1, `http://127.0.0.1:${service.port}/hook`);
    const delivery = await settled(1, 'pending');
    expect(delivery.lastError).toBe('answered 500 Internal Server Error');
    expect(service.counts().requests).toBeGreaterThanOrEqual(1);
    // Nothing of the answer anywhere under the test's prefix (delivery states, job records, logs of jobs).
    const keys = await redis.redis.keys(`${redis.prefix}*`);
    for (const key of keys) {
      const type = await redis.redis.type(key);
      const dump =
        type === 'hash'
          ? JSON.stringify(await redis.redis.hgetall(key))
          : type === 'string'
            ? ((await redis.redis.get(key)) ?? '')
            : type === 'list'
              ? JSON.stringify(await redis.redis.lrange(key, 0, -1))
              : '';
      expect(dump, key).not.toContain('INTERNAL-ONLY');
      expect(dump, key).not.toContain('Internal Detail Here');
    }

    // A state written by a worker from before this rule (with the body) is shown cut to the status.
    await events.setDelivery('p9', 'evt-p9-1', {
      state: 'failed',
      attempts: 3,
      lastError: `answered 500: ${INTERNAL_ANSWER.slice(0, 200)}`,
    });
    expect((await events.getDelivery('p9', 'evt-p9-1'))?.lastError).toBe('answered 500');
  });
});
