import { createHmac } from 'node:crypto';
import { type ProjectEvent, type ProjectEventView, QUEUES } from '@hardfix/contracts';
import { verifyWebhookSignature } from '@hardfix/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, waitUntil } from './harness.js';
import { BROKEN_AREA, FIXED_AREA, stillBroken } from './programs.js';
import { openSse, type Receiver, startReceiver } from './receiver.js';
import { until } from './worker-process.js';

const SECRET = 'test-webhook-secret-0123456789';
const HELLO = { path: 'main.py', content: 'print("hello")\n' };
/** The receivers listen on 127.0.0.1, which callbacks may reach only when the operator names it. */
const LOCAL_HOOKS = { WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };

/** What a receiver does with the raw body and the header (the README shows the same). */
function signatureOk(body: string, header: string | string[] | undefined): boolean {
  const expected = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  return header === expected && verifyWebhookSignature(SECRET, body, header);
}

async function eventsOf(h: Harness, id: string): Promise<ProjectEventView[]> {
  const res = await h.get(`/projects/${id}`);
  expect(res.status).toBe(200);
  return res.body.events as ProjectEventView[];
}

/** POST /projects for a python "print hello" with a callback; returns the project id. */
async function submit(h: Harness, name: string, callbackUrl: string): Promise<string> {
  const res = await h.post('/projects', { name, language: 'python', prompt: 'print hello', callbackUrl });
  expect(res.status).toBe(202);
  return res.body.id as string;
}

describe('webhooks', () => {
  let h: Harness | undefined;
  const receivers: Receiver[] = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
    for (const r of receivers.splice(0)) await r.close();
  });

  async function receiver(): Promise<Receiver> {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  }

  it('a receiver gets exactly one signed project.delivered per project', async () => {
    h = await startHarness(LOCAL_HOOKS);
    const hook = await receiver();
    h.fake.setHandler((req) => (req.toolName === 'write_files' ? { tool: { files: [HELLO] } } : undefined));
    const ids: string[] = [];
    for (const name of ['hello-a', 'hello-b', 'hello-c']) {
      ids.push(await submit(h, name, `${hook.url}?project=${name}`));
    }
    for (const id of ids) await h.waitForStatus(id, ['delivered']);
    await hook.waitFor(3);
    // Once every job is done and the relay has read the whole outbox, no duplicate can still come.
    await h.settled();

    expect(hook.requests).toHaveLength(3);
    const received = hook.requests.map((r) => {
      expect(r.headers['content-type']).toBe('application/json');
      expect(signatureOk(r.body, r.headers['x-hardfix-signature'])).toBe(true);
      const event = JSON.parse(r.body) as ProjectEvent;
      expect(r.headers['x-hardfix-event-id']).toBe(event.id);
      return event;
    });
    expect(new Set(received.map((e) => e.id)).size).toBe(3);
    for (const id of ids) {
      const project = await h.store.mustGet(id);
      const event = received.find((e) => e.projectId === id);
      expect(event).toEqual({
        id: `evt-${id}-${project.version}`,
        type: 'project.delivered',
        projectId: id,
        name: project.name,
        status: 'delivered',
        at: project.updatedAt,
      });
      expect(Object.keys(event ?? {})).toEqual(['id', 'type', 'projectId', 'name', 'status', 'at']);
      const events = await until('the delivery state', async () => {
        const list = await eventsOf(h as Harness, id);
        return list[0]?.delivery?.state === 'delivered' ? list : undefined;
      });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ ...event, delivery: { state: 'delivered', attempts: 1 } });
      expect(Date.parse(events[0]?.delivery?.deliveredAt ?? '')).toBeGreaterThan(0);
    }
    // A tampered body does not verify.
    const first = hook.requests[0];
    expect(signatureOk(`${first?.body} `, first?.headers['x-hardfix-signature'])).toBe(false);
  });

  it('a receiver that answers 500 three times then 200 gets the event, with growing waits between tries', async () => {
    h = await startHarness({ ...LOCAL_HOOKS, WEBHOOK_BACKOFF_MS: '300' });
    const hook = await receiver();
    hook.answer = (n) => (n <= 3 ? 500 : 200);
    h.fake.enqueue('write_files', { tool: { files: [HELLO] } });
    const id = await submit(h, 'flaky-receiver', hook.url);

    const pending = await until('the first refused try', async () => {
      const [event] = await eventsOf(h as Harness, id);
      return event?.delivery?.attempts === 1 ? event : undefined;
    });
    expect(pending.delivery).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: 'answered 500 Internal Server Error',
    });

    const requests = await hook.waitFor(4);
    const ids = new Set(requests.map((r) => r.headers['x-hardfix-event-id']));
    expect(ids.size).toBe(1);
    expect(
      requests.every(
        (r) => r.body === requests[0]?.body && signatureOk(r.body, r.headers['x-hardfix-signature']),
      ),
    ).toBe(true);
    // Backoff doubles from WEBHOOK_BACKOFF_MS: 300, 600, 1200 ms (BullMQ's delay timer is not exact).
    const gaps = requests.slice(1).map((r, i) => r.at - (requests[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(250);
    expect(gaps[1]).toBeGreaterThanOrEqual(550);
    expect(gaps[2]).toBeGreaterThanOrEqual(1_100);

    const [event] = await until('the delivered state', async () => {
      const list = await eventsOf(h as Harness, id);
      return list[0]?.delivery?.state === 'delivered' ? list : undefined;
    });
    expect(event?.delivery).toMatchObject({
      state: 'delivered',
      attempts: 4,
      lastAttemptAt: expect.any(String),
    });
    expect(event?.delivery?.lastError).toBeUndefined();
    await h.settled();
    expect(hook.requests).toHaveLength(4);
  });

  it('a receiver that hangs, or redirects, is retried: a timeout or a 3xx is not a delivery', async () => {
    h = await startHarness({ ...LOCAL_HOOKS, WEBHOOK_BACKOFF_MS: '100', WEBHOOK_TIMEOUT_MS: '500' });
    const elsewhere = await receiver();
    const hook = await receiver();
    hook.answer = (n, res) => {
      if (n === 1) return 'handled'; // never answers
      if (n === 2) {
        res.writeHead(307, { location: elsewhere.url }).end();
        return 'handled';
      }
      return 200;
    };
    h.fake.enqueue('write_files', { tool: { files: [HELLO] } });
    const id = await submit(h, 'slow-receiver', hook.url);
    const requests = await hook.waitFor(3);
    expect(requests[1]?.at).toBeGreaterThanOrEqual((requests[0]?.at ?? 0) + 500);
    const [event] = await until('the delivered state', async () => {
      const list = await eventsOf(h as Harness, id);
      return list[0]?.delivery?.state === 'delivered' ? list : undefined;
    });
    expect(event?.delivery?.attempts).toBe(3);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a project parked by the LLM outage path sends one project.parked, however often its job re-parks', async () => {
    // No key: the generation job parks the project, waits, clears `parked` when it tries again, and
    // parks it again; the stage code knows nothing about events.
    h = await startHarness({ ANTHROPIC_API_KEY: '', RETRY_INTERVAL_MS: '50', ...LOCAL_HOOKS });
    const harness = h;
    const hook = await receiver();
    const id = await submit(harness, 'no-key', hook.url);
    const job = await until('three deferrals', async () => {
      const j = await harness.worker.deps.queues.generation.getJob(`generation-${id}-1`);
      return (j?.data.deferrals ?? 0) >= 3 ? j : undefined;
    });
    expect(job.data.deferrals).toBeGreaterThanOrEqual(3);
    await hook.waitFor(1);
    // The job keeps re-parking (it never settles): wait for more re-checks than were seen at the send,
    // each a chance to send a duplicate, and for the webhook and the relay to have caught up.
    const seen = (await harness.jobData(QUEUES.generation, id, 1))?.deferrals ?? 0;
    await waitUntil(
      async () => ((await harness.jobData(QUEUES.generation, id, 1))?.deferrals ?? 0) >= seen + 2,
      'two more re-checks',
    );
    await harness.relayed();
    expect(hook.requests).toHaveLength(1);
    const event = JSON.parse(hook.requests[0]?.body ?? '{}') as ProjectEvent;
    expect(event).toMatchObject({
      type: 'project.parked',
      projectId: id,
      name: 'no-key',
      status: 'generating',
    });
    expect((await eventsOf(harness, id)).map((e) => e.type)).toEqual(['project.parked']);
    expect((await harness.store.mustGet(id)).parked?.reason).toContain('ANTHROPIC_API_KEY');
  });

  it('GET /events streams the events of two concurrent projects, in order per project, and resumes after Last-Event-ID', async () => {
    h = await startHarness({ HARD_FIX_MAX_ATTEMPTS: '1', RETRY_INTERVAL_MS: '10' });
    const harness = h;
    let i = 0;
    harness.fake.setHandler((req) =>
      req.toolName === 'replace_block' ? { tool: { code: stillBroken(++i) } } : undefined,
    );
    const auth = { authorization: `Bearer ${harness.api.apiToken}` };
    const anonymous = await openSse(`${harness.api.url}/events`, {});
    anonymous.close();
    expect(anonymous.status).toBe(401);
    const sse = await openSse(`${harness.api.url}/events`, auth);
    expect(sse.status).toBe(200);

    const [a, b] = await Promise.all([
      harness.importProject('stream-a', 'python', [BROKEN_AREA]),
      harness.importProject('stream-b', 'python', [BROKEN_AREA]),
    ]);
    await Promise.all([a, b].map((id) => harness.waitForStatus(id, ['manual-review'])));
    const [resolvedA, abandonedB] = await Promise.all([
      harness.post(`/review/${a}/resolve`, { files: [FIXED_AREA] }),
      harness.post(`/review/${b}/abandon`, { reason: 'not worth it' }),
    ]);
    expect([resolvedA.status, abandonedB.status]).toEqual([200, 200]);

    const messages = await sse.until((m) => m.length >= 4);
    sse.close();
    const events = messages.map((m) => ({
      position: m.id,
      type: m.event,
      event: JSON.parse(m.data) as ProjectEvent,
    }));
    for (const m of events) expect(m.type).toBe(m.event.type);
    const streamed = (id: string) => events.filter((m) => m.event.projectId === id).map((m) => m.event);
    expect(streamed(a).map((e) => e.type)).toEqual(['project.manual_review', 'project.delivered']);
    expect(streamed(b).map((e) => e.type)).toEqual(['project.manual_review', 'project.abandoned']);
    // The same events (ids and all) as GET /projects/:id lists, oldest first.
    expect(streamed(a)).toEqual(await eventsOf(harness, a));
    expect(streamed(b)).toEqual(await eventsOf(harness, b));

    // A reconnecting client names the last position it saw and gets only what came after.
    const resumed = await openSse(`${harness.api.url}/events`, {
      ...auth,
      'last-event-id': events[1]?.position ?? '',
    });
    const rest = await resumed.until((m) => m.length >= 2);
    resumed.close();
    expect(rest.map((m) => m.id)).toEqual(events.slice(2).map((m) => m.position));
    const bad = await openSse(`${harness.api.url}/events`, { ...auth, 'last-event-id': 'nope' });
    bad.close();
    expect(bad.status).toBe(400);
  });
});
