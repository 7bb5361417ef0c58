import type { ProjectEvent } from '@hardfix/contracts';
import {
  createLogger,
  createRedisClient,
  createWebhookQueue,
  keys,
  ProjectEvents,
  ProjectStore,
  RELAY_GROUP,
  verifyWebhookSignature,
  type WebhookQueue,
  webhookJobOptions,
} from '@hardfix/core';
import { createRedisFixture, type RedisFixture } from '@hardfix/testkit';
import type { Worker } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventRelay, startEventRelay } from '../src/webhooks/event-relay.js';
import { createWebhookWorker } from '../src/webhooks/webhook-worker.js';
import { type Receiver, startReceiver } from './receiver.js';

const SECRET = 'relay-test-secret-0123456789';
const logger = createLogger('silent');

describe('the event relay', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp() {
    const redis: RedisFixture = await createRedisFixture();
    cleanups.push(() => redis.cleanup());
    const hook: Receiver = await startReceiver();
    cleanups.push(() => hook.close());
    const store = new ProjectStore(redis.redis, redis.prefix);
    const created = await store.create({
      name: 'relayed',
      language: 'python',
      status: 'queued',
      stage: 'generation',
      callbackUrl: hook.url,
    });
    if (!created.created) throw new Error('name taken');
    const id = created.project.id;
    // The transition: its event is in the outbox now, whatever happens to any process afterwards.
    const delivered = await store.update(id, (p) => ({ ...p, status: 'delivered' }));
    const stream = keys(redis.prefix).events;
    const entries = (await redis.redis.xrange(stream, '-', '+')) as [string, string[]][];
    expect(entries).toHaveLength(1);
    const [streamId, fields] = entries[0] as [string, string[]];
    const event = JSON.parse(fields[1] as string) as ProjectEvent;
    expect(event).toMatchObject({ id: `evt-${id}-${delivered.version}`, type: 'project.delivered' });
    return { redis, hook, store, id, stream, streamId, event };
  }

  /** The receiver is on 127.0.0.1, which callbacks reach only when the operator names it. */
  async function startRelayAndSender(redis: RedisFixture, stream: string, allowedHosts = '127.0.0.1') {
    const connection = createRedisClient(redis.url, 'worker', logger, 'relay-test');
    const queue = createWebhookQueue(connection, redis.prefix);
    const worker: Worker = createWebhookWorker({
      connection,
      prefix: redis.prefix,
      events: new ProjectEvents(connection, redis.prefix),
      logger,
      secret: SECRET,
      allowedHosts,
      backoffMs: 100,
      timeoutMs: 2_000,
      concurrency: 2,
      lockDurationMs: 1_000,
    });
    const relayConnection = createRedisClient(redis.url, 'worker', logger, 'relay-test-relay');
    const relay: EventRelay = await startEventRelay({
      connection: relayConnection,
      queue,
      stream,
      logger,
      backoffMs: 100,
      reclaimIdleMs: 500,
      blockMs: 200,
    });
    cleanups.push(async () => {
      await relay.close();
      await worker.close();
      await queue.close();
      relayConnection.disconnect();
      await connection.quit();
    });
    return { queue };
  }

  it('takes over an event a dead relay read and never acknowledged, and sends it under its id', async () => {
    const { redis, hook, stream, streamId, event, id } = await setUp();
    // A relay that reads the entry and dies: it stays pending under that consumer.
    await redis.redis.xgroup('CREATE', stream, RELAY_GROUP, '0', 'MKSTREAM');
    const read = await redis.redis.xreadgroup(
      'GROUP',
      RELAY_GROUP,
      'dead-relay',
      'COUNT',
      10,
      'STREAMS',
      stream,
      '>',
    );
    expect(JSON.stringify(read)).toContain(streamId);

    const { queue } = await startRelayAndSender(redis, stream);
    const [request] = await hook.waitFor(1, 20_000);
    expect(request?.headers['x-hardfix-event-id']).toBe(event.id);
    expect(JSON.parse(request?.body ?? '{}')).toEqual(event);
    expect(
      verifyWebhookSignature(SECRET, request?.body ?? '', request?.headers['x-hardfix-signature'] as string),
    ).toBe(true);
    // Acknowledged by the relay that took it over: nothing is pending any more.
    await expect
      .poll(async () => (await redis.redis.xpending(stream, RELAY_GROUP))[0], { timeout: 5_000 })
      .toBe(0);
    // Nothing left that could send it again: no webhook job pending, the delivery final.
    await expect.poll(() => pendingJobs(queue), { timeout: 5_000 }).toBe(0);
    expect(hook.requests).toHaveLength(1);
    const [view] = await new ProjectEvents(redis.redis, redis.prefix).list(id);
    expect(view?.delivery).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('adds nothing twice when a relay died after queueing the event but before acknowledging it', async () => {
    const { redis, hook, stream, event } = await setUp();
    await redis.redis.xgroup('CREATE', stream, RELAY_GROUP, '0', 'MKSTREAM');
    await redis.redis.xreadgroup('GROUP', RELAY_GROUP, 'dead-relay', 'COUNT', 10, 'STREAMS', stream, '>');
    // What the dead relay did before it died: the job, under the event id.
    const early = createWebhookQueue(redis.redis, redis.prefix);
    await early.add(
      'webhooks',
      { eventId: event.id, projectId: event.projectId, url: hook.url, body: JSON.stringify(event) },
      webhookJobOptions(100, event.id),
    );
    await early.close();
    const { queue } = await startRelayAndSender(redis, stream);

    await hook.waitFor(1, 20_000);
    await expect
      .poll(async () => (await redis.redis.xpending(stream, RELAY_GROUP))[0], { timeout: 5_000 })
      .toBe(0);
    await expect.poll(() => pendingJobs(queue), { timeout: 5_000 }).toBe(0);
    expect(hook.requests.map((r) => r.headers['x-hardfix-event-id'])).toEqual([event.id]);
    expect(await queue.getJobCounts('completed', 'waiting', 'delayed', 'active')).toMatchObject({
      completed: 1,
      waiting: 0,
      delayed: 0,
      active: 0,
    });
  });

  it('does not send to a host taken off WEBHOOK_ALLOWED_HOSTS after the project was submitted', async () => {
    const { redis, hook, stream, event, id } = await setUp();
    const { queue } = await startRelayAndSender(redis, stream, 'hooks.example.com');
    const events = new ProjectEvents(redis.redis, redis.prefix);
    await expect
      .poll(async () => (await events.list(id))[0]?.delivery?.state, { timeout: 10_000 })
      .toBe('failed');
    const [view] = await events.list(id);
    expect(view?.delivery?.lastError).toMatch(
      /^callbackUrl host 127\.0\.0\.1:\d+ is not in WEBHOOK_ALLOWED_HOSTS$/,
    );
    expect(hook.requests).toHaveLength(0);
    // Failed at once, not retried for a day: the operator's list is not a transient problem.
    const job = await queue.getJob(event.id);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1);
  });
});

/** Webhook jobs not yet finished (waiting, delayed or running): none left means no send is still to come. */
async function pendingJobs(queue: WebhookQueue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
  return Object.values(counts).reduce((a: number, b) => a + Number(b), 0);
}
