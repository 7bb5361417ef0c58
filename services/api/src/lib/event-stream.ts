import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { parseOutboxEntry, type RawStreamEntry } from '@hardfix/core';
import type { Redis } from 'ioredis';

/** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
const BATCH = 200;

/** An outbox position as SSE's `id:` carries it (a Redis Stream entry id). */
export const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

/**
 * The outbox position a new client starts after: the newest entry now, so a client that has seen the
 * 200 gets every event appended later, and nothing older (it asks for those with Last-Event-ID).
 */
export async function currentEnd(redis: Redis, stream: string): Promise<string> {
  const newest = (await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as RawStreamEntry[];
  return newest[0]?.[0] ?? '0-0';
}

/** A client that took nothing for `idleMs`: its stream is closed rather than buffered for forever. */
export class IdleClientError extends Error {
  readonly code = 'idle_client';
  constructor(idleMs: number) {
    super(`the client took nothing for ${idleMs} ms`);
    this.name = 'IdleClientError';
  }
}

/**
 * Writes outbox entries after `from` to `out` as Server-Sent Events (`id:` the stream position, so a
 * reconnecting EventSource resumes with Last-Event-ID; `event:` the type; `data:` the event JSON) until
 * `out` closes. `reader` is a connection of its own: XREAD BLOCK holds it while waiting.
 *
 * A client that stops reading holds no more than one batch in memory: once its socket's buffer is full
 * nothing more is read from Redis until it drains, and if it has not drained within `idleMs` (the
 * heartbeats come at least twice in that time, so a live client always has something to take) the
 * stream ends with IdleClientError.
 */
export async function pipeEvents(
  reader: Redis,
  stream: string,
  from: string,
  out: ServerResponse,
  idleMs: number,
) {
  let position = from;
  let open = true;
  const heartbeatMs = Math.max(1, Math.min(HEARTBEAT_MS, Math.floor(idleMs / 2)));
  const closed = new AbortController();
  out.once('close', () => {
    open = false;
    closed.abort();
    // Cuts a blocked XREAD short; the loop below then sees `open` false and returns.
    reader.disconnect();
  });
  const send = async (text: string) => {
    if (out.write(text)) return;
    const idle = AbortSignal.timeout(idleMs);
    try {
      // A client that goes away while full ends the wait at once (the loop then sees `open` false).
      await once(out, 'drain', { signal: AbortSignal.any([idle, closed.signal]) });
    } catch (err) {
      if (closed.signal.aborted) return;
      if (!idle.aborted) throw err;
      throw new IdleClientError(idleMs);
    }
  };
  while (open) {
    let read: [string, RawStreamEntry[]][] | null;
    try {
      read = (await reader.xread('COUNT', BATCH, 'BLOCK', heartbeatMs, 'STREAMS', stream, position)) as
        | [string, RawStreamEntry[]][]
        | null;
    } catch (err) {
      if (!open) return;
      throw err;
    }
    if (!read?.[0]) {
      await send(': keep-alive\n\n');
      continue;
    }
    for (const raw of read[0][1]) {
      if (!open) return;
      position = raw[0];
      const entry = parseOutboxEntry(raw);
      // An unreadable entry still moves the position, so it cannot stall the stream.
      if (entry) await send(`id: ${entry.streamId}\nevent: ${entry.event.type}\ndata: ${entry.raw}\n\n`);
    }
  }
}
