import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProjectEvent, QUEUES } from '@hardfix/contracts';
import { createWebhookQueue, enqueueStage, keys, ProjectEvents, verifyWebhookSignature } from '@hardfix/core';
import { createRedisFixture, startFakeAnthropic } from '@hardfix/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from './receiver.js';
import { openProducer, startWorkerProcess, until, workerProcessEnv } from './worker-process.js';

const SECRET = 'crash-test-secret-0123456789';
const HELLO = { path: 'main.py', content: 'print("hello")\n' };

describe('a worker killed with SIGKILL between a transition and its webhook', () => {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A project on its way to `delivered` under a real worker process, with a callback to `hook`. */
  async function setUp() {
    const redis = await createRedisFixture();
    cleanups.push(() => redis.cleanup());
    const fake = await startFakeAnthropic({ apiKey: 'test-anthropic-key' });
    cleanups.push(() => fake.close());
    fake.setHandler((req) => (req.toolName === 'write_files' ? { tool: { files: [HELLO] } } : undefined));
    const hook: Receiver = await startReceiver();
    cleanups.push(() => hook.close());
    const deliveryDir = await mkdtemp(join(tmpdir(), 'hardfix-webhook-crash-'));
    cleanups.push(() => rm(deliveryDir, { recursive: true, force: true }));
    const env = workerProcessEnv(redis, fake.url, deliveryDir, {
      WEBHOOK_SECRET: SECRET,
      // The receiver is on 127.0.0.1: callbacks reach it only when the operator names it.
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_BACKOFF_MS: '100',
      // Longer than the test: a request in flight when the worker dies is not cut short by a timeout.
      WEBHOOK_TIMEOUT_MS: '120000',
    });
    const { producer, queues, store, close } = openProducer(redis);
    cleanups.push(close);
    const submit = async () => {
      const created = await store.create({
        name: 'crash-hook',
        language: 'python',
        status: 'queued',
        stage: 'generation',
        callbackUrl: hook.url,
      });
      if (!created.created) throw new Error('name taken');
      await enqueueStage(queues, QUEUES.generation, created.project.id, 1);
      return created.project.id;
    };
    const start = async () => {
      const child = await startWorkerProcess(env);
      children.push(child);
      return child;
    };
    const kill = async (child: ChildProcess) => {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null)
        await new Promise((r) => child.once('exit', r));
    };
    const events = new ProjectEvents(producer, redis.prefix);
    return { redis, hook, store, submit, start, kill, events };
  }

  it('killed the moment the transition is written: the next worker sends the event, same id', async () => {
    const { redis, hook, store, submit, start, kill, events } = await setUp();
    // Requests before the kill are never answered: even if the dying worker got one out, it cannot
    // have counted as delivered, so the event is the next worker's to send.
    let killed = false;
    hook.answer = () => (killed ? 200 : 'handled');
    const first = await start();
    // Woken by the XADD that the transition's own script makes, so the kill follows it within moments.
    const watcher = redis.redis.duplicate();
    cleanups.push(() => watcher.quit());
    const stream = keys(redis.prefix).events;
    const watching = watcher.xread('BLOCK', 60_000, 'STREAMS', stream, '$');
    const id = await submit();
    const read = (await watching) as [string, [string, string[]][]][] | null;
    await kill(first);
    killed = true;
    const sentBeforeKill = hook.requests.length;

    const appended = JSON.parse(read?.[0]?.[1][0]?.[1][1] ?? '{}') as ProjectEvent;
    const project = await store.mustGet(id);
    expect(project.status).toBe('delivered');
    expect(appended).toMatchObject({ id: `evt-${id}-${project.version}`, type: 'project.delivered' });

    await start();
    const state = await until('the webhook delivered', async () => {
      const [event] = await events.list(id);
      return event?.delivery?.state === 'delivered' ? event : undefined;
    });
    expect(state.id).toBe(appended.id);
    // At least once, and every request carries the one id and the same signed body.
    expect(hook.requests.length).toBe(sentBeforeKill + 1);
    for (const r of hook.requests) {
      expect(r.headers['x-hardfix-event-id']).toBe(appended.id);
      expect(JSON.parse(r.body)).toEqual(appended);
      expect(verifyWebhookSignature(SECRET, r.body, r.headers['x-hardfix-signature'] as string)).toBe(true);
    }
  }, 90_000);

  it('killed while the receiver has the request: the next worker sends it again, same id', async () => {
    const { redis, hook, submit, start, kill, events } = await setUp();
    hook.answer = (n) => (n === 1 ? 'handled' : 200);
    const first = await start();
    const id = await submit();
    const [inFlight] = await hook.waitFor(1, 60_000);
    await kill(first);

    await start();
    const requests = await hook.waitFor(2, 30_000);
    expect(requests[1]?.headers['x-hardfix-event-id']).toBe(inFlight?.headers['x-hardfix-event-id']);
    expect(requests[1]?.body).toBe(inFlight?.body);
    const state = await until('the webhook delivered', async () => {
      const [event] = await events.list(id);
      return event?.delivery?.state === 'delivered' ? event : undefined;
    });
    expect(state.id).toBe(inFlight?.headers['x-hardfix-event-id']);
    // Nothing left that could send it a third time: no webhook job pending.
    const webhooks = createWebhookQueue(redis.redis, redis.prefix);
    await until('no webhook job pending', async () => {
      const counts = await webhooks.getJobCounts('waiting', 'delayed', 'prioritized', 'active');
      return Object.values(counts).every((c) => c === 0) ? true : undefined;
    });
    await webhooks.close();
    expect(hook.requests).toHaveLength(2);
  }, 90_000);
});
