import { describe, expect } from 'vitest';
import { takeSseMessages } from '../src/cli/sse.js';
import { AUTH, createBody, TOKEN, test } from './helper.js';

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

    // Both streams are still open: closing the app must end them rather than wait for the clients.
    const started = Date.now();
    await api.app.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await reader.read()).done).toBe(true);
    expect((await replayed.reader.read()).done).toBe(true);
  });
});
