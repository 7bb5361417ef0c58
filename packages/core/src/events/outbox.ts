import { type ProjectEvent, projectEventSchema } from '@hardfix/contracts';

/**
 * The outbox is one Redis Stream of every project event (keys.events), appended by the project store in
 * the same script as the transition itself. The webhook relay reads it with a consumer group; GET
 * /events tails it. It is capped (approximately, which keeps trimming cheap) so Redis does not grow
 * forever; the relay consumes within moments, so only an SSE client far behind can miss entries.
 */
export const EVENTS_MAX_LEN = 100_000;

/** The consumer group of the webhook relay on the outbox stream. */
export const RELAY_GROUP = 'webhook-relay';

/**
 * What the outbox append (src/lua/includes/append-event.lua) reads from a script's JSON arguments: the
 * event as its exact JSON (the webhook body), and for a callback the URL and the pending delivery state.
 */
export interface OutboxAppend {
  json: string;
  id: string;
  max_len: number;
  callback_url?: string;
  delivery?: string;
}

/** The outbox append for an event, or undefined for none. */
export function outboxAppend(
  event: ProjectEvent | undefined,
  callbackUrl: string | undefined,
): OutboxAppend | undefined {
  if (!event) return undefined;
  const append: OutboxAppend = { json: JSON.stringify(event), id: event.id, max_len: EVENTS_MAX_LEN };
  if (callbackUrl) {
    append.callback_url = callbackUrl;
    append.delivery = JSON.stringify({ state: 'pending', attempts: 0 });
  }
  return append;
}

export interface OutboxEntry {
  /** The stream entry id ("<ms>-<seq>"): the position, used by SSE's Last-Event-ID. */
  streamId: string;
  event: ProjectEvent;
  /** The event exactly as appended: the webhook body, byte for byte. */
  raw: string;
  callbackUrl?: string;
}

/** An XREAD/XREADGROUP/XRANGE entry as ioredis returns it: [id, [field, value, ...]]. */
export type RawStreamEntry = [string, string[]];

export function parseOutboxEntry([streamId, fields]: RawStreamEntry): OutboxEntry | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  const raw = map.get('event');
  if (raw === undefined) return undefined;
  const parsed = projectEventSchema.safeParse(safeJson(raw));
  if (!parsed.success) return undefined;
  const callbackUrl = map.get('callbackUrl');
  return { streamId, event: parsed.data, raw, ...(callbackUrl ? { callbackUrl } : {}) };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}
