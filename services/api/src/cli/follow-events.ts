import { projectEventSchema } from '@hardfix/contracts';
import { type SseMessage, takeSseMessages } from './sse.js';

export class EventsUnavailableError extends Error {}

const RECONNECT_MS = 1_000;

export interface FollowIo {
  out: (text: string) => void;
  signal?: AbortSignal;
}

/**
 * `pnpm monitor --events`: follows GET /events and prints one line per project event as it happens,
 * instead of polling /status. A dropped stream (an API restart) is resumed from the last event seen
 * (Last-Event-ID), so nothing is missed; the first connection must succeed, so a wrong URL or token
 * fails fast.
 */
export async function followEvents(url: string, token: string, io: FollowIo): Promise<void> {
  let lastId: string | undefined;
  let first = true;
  while (!io.signal?.aborted) {
    let res: Response;
    try {
      res = await fetch(`${url}/events`, {
        headers: { authorization: `Bearer ${token}`, ...(lastId ? { 'last-event-id': lastId } : {}) },
        ...(io.signal ? { signal: io.signal } : {}),
      });
    } catch (err) {
      if (io.signal?.aborted) return;
      if (first) throw new EventsUnavailableError(`the service at ${url} does not answer (${reason(err)})`);
      await pause(RECONNECT_MS, io.signal);
      continue;
    }
    if (!res.ok || !res.body) {
      const message = `GET ${url}/events answered ${res.status}: ${await res.text()}`;
      if (first || res.status === 401) throw new EventsUnavailableError(message);
      await pause(RECONNECT_MS, io.signal);
      continue;
    }
    if (first) io.out(`following ${url}/events; Ctrl-C quits\n`);
    first = false;
    let buffer = '';
    try {
      for await (const chunk of res.body.pipeThrough(new TextDecoderStream())) {
        const { messages, rest } = takeSseMessages(buffer + chunk);
        buffer = rest;
        for (const m of messages) {
          if (m.id) lastId = m.id;
          io.out(`${describeEvent(m)}\n`);
        }
      }
    } catch (err) {
      if (io.signal?.aborted) return;
      io.out(`!! stream broken (${reason(err)}); reconnecting\n`);
    }
    await pause(RECONNECT_MS, io.signal);
  }
}

/** "19:30:00  project.delivered      hello-py  delivered  3f6c…" */
export function describeEvent(m: SseMessage): string {
  const parsed = projectEventSchema.safeParse(safeJson(m.data));
  if (!parsed.success) return `${m.event || 'message'} ${m.data}`;
  const e = parsed.data;
  const time = e.at.slice(11, 19);
  return `${time}  ${e.type.padEnd(22)} ${e.name}  ${e.status}  ${e.projectId}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function reason(err: unknown): string {
  return err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
