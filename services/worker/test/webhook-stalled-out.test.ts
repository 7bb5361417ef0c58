import { type EventDelivery, WEBHOOK_QUEUE } from '@hardfix/contracts';
import {
  createLogger,
  createRedisClient,
  createWebhookQueue,
  ProjectEvents,
  type WebhookQueue,
  webhookJobOptions,
} from '@hardfix/core';
import { createRedisFixture } from '@hardfix/testkit';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { failStalledOutDeliveries, STALLED_OUT_REASON } from '../src/webhooks/stalled-out.js';
import { createWebhookWorker } from '../src/webhooks/webhook-worker.js';
import { harnessPerTest } from './harness.js';
import { until } from './worker-process.js';

const PENDING: EventDelivery = { state: 'pending', attempts: 1, lastError: 'answered 503' };
const silent = { warn: () => {} };

/**
 * What BullMQ does to a webhook job whose senders keep dying: a worker takes it and never renews its
 * lock (a dead process); BullMQ's stalled checker, finding the lock gone once too often, puts it back
 * in the queue marked to fail; the next worker to take it fails it with BullMQ's stalled-out reason,
 * without running the processor. The checker here allows no stall (maxStalledCount 0) so one death is
 * enough; the service's workers allow 5, which only changes how many deaths it takes. Leaves the job
 * waiting for that next worker.
 */
async function stallOut(
  { connection, prefix }: { connection: Redis; prefix: string },
  queue: WebhookQueue,
  events: { projectId: string; eventId: string }[],
) {
  for (const { projectId, eventId } of events)
    await queue.add(
      WEBHOOK_QUEUE,
      { eventId, projectId, url: 'http://127.0.0.1:9/hook', body: '{}' },
      webhookJobOptions(100, eventId),
    );
  const dead = new Worker(WEBHOOK_QUEUE, null, { connection, prefix, lockDuration: 200, autorun: false });
  const checker = new Worker(WEBHOOK_QUEUE, null, {
    connection,
    prefix,
    autorun: false,
    maxStalledCount: 0,
    stalledInterval: 100,
  });
  try {
    for (const { eventId } of events) expect((await dead.getNextJob('a-sender-that-died'))?.id).toBe(eventId);
    await checker.startStalledCheckTimer();
    for (const { eventId } of events)
      await until('the job back in the queue, marked to fail', async () => {
        const job = await queue.getJob(eventId);
        const marked = (await job?.getState()) === 'waiting' && job?.deferredFailure === STALLED_OUT_REASON;
        return marked ? job : undefined;
      });
  } finally {
    await checker.close();
    await dead.close();
  }
}

const failedJob = (queue: WebhookQueue, eventId: string) =>
  until(`${eventId} failed`, async () => {
    const job = await queue.getJob(eventId);
    return (await job?.getState()) === 'failed' ? job : undefined;
  });

describe('a webhook job BullMQ fails as stalled out', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function setUp() {
    const fixture = await createRedisFixture();
    cleanups.push(() => fixture.cleanup());
    // A worker's connection (BullMQ's blocking commands need maxRetriesPerRequest: null).
    const connection = createRedisClient(fixture.url, 'worker', createLogger('silent'), 'test');
    cleanups.push(() => connection.quit());
    const queue = createWebhookQueue(connection, fixture.prefix);
    cleanups.push(() => queue.close());
    const bull = { connection, prefix: fixture.prefix };
    return { fixture, bull, queue, events: new ProjectEvents(connection, fixture.prefix) };
  }

  it('has its delivery marked failed, unless a later answer was recorded; each pass looks only at newer failures', async () => {
    const { bull, queue, events } = await setUp();
    // Failed for another reason: the webhook worker records those itself, so the sweep leaves them.
    await events.setDelivery('p3', 'evt-p3-2', PENDING);
    await queue.add(
      WEBHOOK_QUEUE,
      { eventId: 'evt-p3-2', projectId: 'p3', url: 'http://127.0.0.1:9/hook', body: '{}' },
      webhookJobOptions(100, 'evt-p3-2'),
    );
    const other = new Worker(WEBHOOK_QUEUE, null, { ...bull, autorun: false });
    cleanups.push(() => other.close());
    const job = await other.getNextJob('other');
    await job?.moveToFailed(new UnrecoverableError('callbackUrl is not allowed'), 'other', false);
    await events.setDelivery('p1', 'evt-p1-2', PENDING);
    // Retried from Bull Board and delivered since: that answer stands.
    const delivered: EventDelivery = {
      state: 'delivered',
      attempts: 2,
      deliveredAt: new Date().toISOString(),
    };
    await events.setDelivery('p2', 'evt-p2-2', delivered);
    await stallOut(bull, queue, [
      { projectId: 'p1', eventId: 'evt-p1-2' },
      { projectId: 'p2', eventId: 'evt-p2-2' },
    ]);
    // The service's webhook worker takes the two marked jobs and fails them, sending nothing.
    const next = createWebhookWorker({
      ...bull,
      events,
      logger: createLogger('silent'),
      secret: 'a-webhook-secret-0123456789',
      allowedHosts: undefined,
      backoffMs: 100,
      timeoutMs: 1_000,
      concurrency: 2,
      lockDurationMs: 30_000,
    });
    cleanups.push(() => next.close());
    for (const id of ['evt-p1-2', 'evt-p2-2'])
      expect((await failedJob(queue, id)).failedReason).toBe(STALLED_OUT_REASON);

    const first = await failStalledOutDeliveries(queue, events, silent, 0);
    expect(first.marked).toBe(1);
    const failed = await events.getDelivery('p1', 'evt-p1-2');
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(failed?.lastError).toContain(STALLED_OUT_REASON);
    expect(await events.getDelivery('p2', 'evt-p2-2')).toEqual(delivered);
    expect(await events.getDelivery('p3', 'evt-p3-2')).toEqual(PENDING);
    expect(first.newest).toBeGreaterThan(0);

    // Marked pending again by hand: a pass from the last one's mark does not look at it again.
    await events.setDelivery('p1', 'evt-p1-2', PENDING);
    const second = await failStalledOutDeliveries(queue, events, silent, first.newest + 1);
    expect(second).toEqual({ marked: 0, newest: first.newest + 1 });
    expect(await events.getDelivery('p1', 'evt-p1-2')).toEqual(PENDING);
  });

  const startHarness = harnessPerTest();

  it('a running worker finds it within ORPHAN_SWEEP_MS and the project says failed', async () => {
    const { fixture, bull, queue, events } = await setUp();
    await events.setDelivery('p1', 'evt-p1-3', PENDING);
    await stallOut(bull, queue, [{ projectId: 'p1', eventId: 'evt-p1-3' }]);
    // The harness's worker is the next to take it: it fails the job, then its sweep finds it.
    await startHarness({ ORPHAN_SWEEP_MS: '200', QUEUE_PREFIX: fixture.prefix });
    expect((await failedJob(queue, 'evt-p1-3')).failedReason).toBe(STALLED_OUT_REASON);
    const delivery = await until('the delivery marked failed', async () => {
      const d = await events.getDelivery('p1', 'evt-p1-3');
      return d?.state === 'failed' ? d : undefined;
    });
    expect(delivery.lastError).toContain(STALLED_OUT_REASON);
  });
});
