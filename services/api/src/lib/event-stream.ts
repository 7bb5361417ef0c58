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

/**
 * Writes outbox entries after `from` to `out` as Server-Sent Events (`id:` the stream position, so a
 * reconnecting EventSource resumes with Last-Event-ID; `event:` the type; `data:` the event JSON) until
 * `out` closes. `reader` is a connection of its own: XREAD BLOCK holds it while waiting.
 */
export async function pipeEvents(reader: Redis, stream: string, from: string, out: ServerResponse) {
  let position = from;
  let open = true;
  out.once('close', () => {
    open = false;
    // Cuts a blocked XREAD short; the loop below then sees `open` false and returns.
    reader.disconnect();
  });
  while (open) {
    let read: [string, RawStreamEntry[]][] | null;
    try {
      read = (await reader.xread('COUNT', BATCH, 'BLOCK', HEARTBEAT_MS, 'STREAMS', stream, position)) as
        | [string, RawStreamEntry[]][]
        | null;
    } catch (err) {
      if (!open) return;
      throw err;
    }
    if (!read?.[0]) {
      out.write(': keep-alive\n\n');
      continue;
    }
    for (const raw of read[0][1]) {
      position = raw[0];
      const entry = parseOutboxEntry(raw);
      // An unreadable entry still moves the position, so it cannot stall the stream.
      if (entry) out.write(`id: ${entry.streamId}\nevent: ${entry.event.type}\ndata: ${entry.raw}\n\n`);
    }
  }
}
