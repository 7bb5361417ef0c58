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
 * Lua that appends one event: to the stream (with the callback URL, if any, for the relay) and to the
 * project's event hash (with a pending delivery state when there is a callback). `k` and `a` are the
 * 1-based indexes of its first KEYS (stream, project events) and ARGV (event JSON, event id, callback
 * URL, delivery JSON, max length); an empty event JSON means no event.
 */
export function appendEventLua(k: number, a: number): string {
  return `
if ARGV[${a}] ~= '' then
  if ARGV[${a + 2}] ~= '' then
    redis.call('XADD', KEYS[${k}], 'MAXLEN', '~', ARGV[${a + 4}], '*', 'event', ARGV[${a}], 'callbackUrl', ARGV[${a + 2}])
    redis.call('HSET', KEYS[${k + 1}], ARGV[${a + 1}] .. '|delivery', ARGV[${a + 3}])
  else
    redis.call('XADD', KEYS[${k}], 'MAXLEN', '~', ARGV[${a + 4}], '*', 'event', ARGV[${a}])
  end
  redis.call('HSET', KEYS[${k + 1}], ARGV[${a + 1}], ARGV[${a}])
end
`;
}

/** The ARGV that `appendEventLua` reads, for an event or for none. */
export function appendEventArgs(event: ProjectEvent | undefined, callbackUrl: string | undefined): string[] {
  if (!event) return ['', '', '', '', String(EVENTS_MAX_LEN)];
  const pending = callbackUrl ? JSON.stringify({ state: 'pending', attempts: 0 }) : '';
  return [JSON.stringify(event), event.id, callbackUrl ?? '', pending, String(EVENTS_MAX_LEN)];
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
