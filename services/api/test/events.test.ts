import { connect } from 'node:net';
import { keys } from '@hardfix/core';
import { describe, expect, it } from 'vitest';
import { takeSseMessages } from '../src/cli/sse.js';
import { AUTH, createBody, startTestApi, TOKEN, test } from './helper.js';

async function read(res: Response, count: number, timeoutMs = 5_000) {
  if (!res.body) throw new Error('no body');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const deadline = setTimeout(() => void reader.cancel(), timeoutMs);
  let buffer = '';
  const messages: ReturnType<typeof takeSseMessages>['messages'] = [];
  while (messages.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    const taken = takeSseMessages(buffer + value);
    buffer = taken.rest;
    messages.push(...taken.messages);
  }
  clearTimeout(deadline);
  return { messages, reader };
}

describe('GET /events', () => {
  test('needs the token, and refuses a Last-Event-ID that is no stream position', async ({ api }) => {
    const none = await api.app.inject({ method: 'GET', url: '/events' });
    expect(none.statusCode).toBe(401);
    const bad = await api.app.inject({
      method: 'GET',
      url: '/events',
      headers: { ...AUTH, 'last-event-id': 'evt-1' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^headers\.last-event-id: /);
    const badQuery = await api.app.inject({ method: 'GET', url: '/events?after=x', headers: AUTH });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().message).toMatch(/^query\.after: /);
  });

  test('streams events written after it connected; ?after= replays from a position; closing the app ends streams', async ({
    api,
  }) => {
    const url = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const created = await api.app.inject({
      method: 'POST',
      url: '/projects',
      headers: AUTH,
      payload: createBody(),
    });
    const id = created.json().id as string;
    // An event from before the client connected is not sent to a client that asks for nothing older.
    await api.store.update(id, (p) => ({ ...p, status: 'manual-review', stage: 'manual' }));

    const live = await fetch(`${url}/events`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await api.store.update(id, (p) => ({ ...p, status: 'abandoned', abandonReason: 'no' }));
    const { messages, reader } = await read(live, 1);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ event: 'project.abandoned', id: expect.stringMatching(/^\d+-\d+$/) });
    expect(JSON.parse(messages[0]?.data ?? '{}')).toMatchObject({ projectId: id, status: 'abandoned' });

    const replay = await fetch(`${url}/events?after=0-0`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const replayed = await read(replay, 2);
    expect(replayed.messages.map((m) => m.event)).toEqual(['project.manual_review', 'project.abandoned']);

    // Both streams are still open and their clients never close them: closing the app must end them
    // (a close that waited for the clients would never return, and the test would time out).
    await api.app.close();
    expect((await reader.read()).done).toBe(true);
    expect((await replayed.reader.read()).done).toBe(true);
  });

  it('holds at most EVENTS_MAX_STREAMS streams: one more is a 503 until one closes', async () => {
    const api = await startTestApi({ env: { EVENTS_MAX_STREAMS: '2' } });
    try {
      const url = await api.app.listen({ host: '127.0.0.1', port: 0 });
      const headers = { authorization: `Bearer ${TOKEN}` };
      const first = new AbortController();
      const a = await fetch(`${url}/events`, { headers, signal: first.signal });
      const b = await fetch(`${url}/events`, { headers });
      expect([a.status, b.status]).toEqual([200, 200]);
      const third = await fetch(`${url}/events`, { headers });
      expect(third.status).toBe(503);
      expect(third.headers.get('retry-after')).toBe('5');
      expect(await third.json()).toEqual({
        error: 'too_many_streams',
        message: 'at most 2 event streams at once (EVENTS_MAX_STREAMS); retry later',
      });
      first.abort();
      await expect
        .poll(
          async () => {
            const res = await fetch(`${url}/events`, { headers });
            void res.body?.cancel();
            return res.status;
          },
          { timeout: 5_000, interval: 100 },
        )
        .toBe(200);
    } finally {
      await api.close();
    }
  });

  it('closes a stream whose client takes nothing for EVENTS_IDLE_MS; a client that reads is kept', async () => {
    const api = await startTestApi({ env: { EVENTS_IDLE_MS: '500' } });
    try {
      const url = new URL(await api.app.listen({ host: '127.0.0.1', port: 0 }));
      // Far more than the socket buffers on both sides hold: 400 events of 20 KB.
      const stream = keys(api.env.QUEUE_PREFIX).events;
      const name = 'x'.repeat(20_000);
      const pipeline = api.redis.pipeline();
      for (let i = 0; i < 400; i++) {
        const event = {
          id: `evt-${i}`,
          type: 'project.delivered',
          projectId: `p${i}`,
          name,
          status: 'delivered',
          at: new Date().toISOString(),
        };
        pipeline.xadd(stream, '*', 'event', JSON.stringify(event));
      }
      await pipeline.exec();
      const total = 400 * 20_000;

      // A reader that keeps up gets heartbeats and stays.
      const live = await fetch(`${url.origin}/events`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const liveReader = (live.body as ReadableStream<Uint8Array>)
        .pipeThrough(new TextDecoderStream())
        .getReader();
      let heard = '';
      let liveEnded = false;
      const listening = (async () => {
        for (;;) {
          const { value, done } = await liveReader.read();
          if (done) break;
          heard += value;
        }
        liveEnded = true;
      })();

      // A client that asks for everything and then reads nothing.
      const socket = connect(Number(url.port), url.hostname);
      await new Promise((ok) => socket.once('connect', ok));
      socket.pause();
      socket.write(`GET /events?after=0-0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
      // Until the reader that keeps up has had four heartbeats (one at least every 250 ms): twice
      // EVENTS_IDLE_MS, so the stalled client has been idle long enough to be closed.
      await expect
        .poll(() => heard.split(': keep-alive').length - 1, { timeout: 10_000, interval: 50 })
        .toBeGreaterThanOrEqual(4);

      let received = 0;
      const ended = new Promise<void>((ok) => {
        socket.on('close', () => ok());
        socket.on('error', () => {});
      });
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      socket.resume();
      const closed = await Promise.race([
        ended.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 3_000)),
      ]);
      expect(closed).toBe(true);
      // It got what fitted in the buffers before the server stopped writing to it, not the whole outbox.
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThan(total);

      // The reader that keeps up is still open, past the idle limit.
      expect(liveEnded).toBe(false);
      await liveReader.cancel();
      await listening;
    } finally {
      await api.close();
    }
  });
});
