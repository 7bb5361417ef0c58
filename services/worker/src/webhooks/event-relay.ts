import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { WEBHOOK_QUEUE } from '@hardfix/contracts';
import {
  type Logger,
  parseOutboxEntry,
  type RawStreamEntry,
  RELAY_GROUP,
  type WebhookQueue,
  webhookJobOptions,
} from '@hardfix/core';
import type { Redis } from 'ioredis';

export interface EventRelayDeps {
  /** A connection of its own: XREADGROUP BLOCK holds it while it waits. */
  connection: Redis;
  queue: WebhookQueue;
  /** keys.events: the outbox stream. */
  stream: string;
  logger: Logger;
  backoffMs: number;
  /** An entry another relay read but did not acknowledge for this long is taken over (its relay died). */
  reclaimIdleMs: number;
  /** @defaultValue 1000 */
  blockMs?: number;
}

export interface EventRelay {
  /** Stops after the batch in hand; entries read but not acknowledged are taken over by another relay. */
  close(): Promise<void>;
}

const BATCH = 100;
/** Consumers that died long ago and hold nothing are dropped, so the group's list does not grow forever. */
const FORGET_CONSUMER_MS = 24 * 3600_000;

/**
 * Moves events from the outbox stream into the `webhooks` queue: one job per event with a callback,
 * the job id being the event id, and only then acknowledges the entry. A relay that dies after the add
 * and before the acknowledgement leaves the entry pending; another relay (or this worker restarted)
 * claims it after `reclaimIdleMs` and adds it again, which BullMQ ignores (same job id). So an event is
 * neither lost nor sent under two ids.
 */
export async function startEventRelay(deps: EventRelayDeps): Promise<EventRelay> {
  const { connection: redis, stream, logger } = deps;
  const consumer = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const blockMs = deps.blockMs ?? 1_000;
  await ensureGroup(redis, stream);

  const relay = async (entries: RawStreamEntry[]) => {
    for (const raw of entries) {
      const entry = parseOutboxEntry(raw);
      if (!entry) logger.error({ streamId: raw[0] }, 'event relay: unreadable outbox entry skipped');
      else if (entry.callbackUrl) {
        await deps.queue.add(
          WEBHOOK_QUEUE,
          {
            eventId: entry.event.id,
            projectId: entry.event.projectId,
            url: entry.callbackUrl,
            body: entry.raw,
          },
          webhookJobOptions(deps.backoffMs, entry.event.id),
        );
      }
      await redis.xack(stream, RELAY_GROUP, raw[0]);
    }
  };

  const reclaim = async () => {
    let cursor = '0-0';
    do {
      const [next, claimed, deleted] = (await redis.xautoclaim(
        stream,
        RELAY_GROUP,
        consumer,
        deps.reclaimIdleMs,
        cursor,
        'COUNT',
        BATCH,
      )) as [string, (RawStreamEntry | null)[], string[] | undefined];
      // Redis 6.2 lists an entry trimmed away while pending as null (7 lists its id in `deleted`).
      const live = claimed.filter((e): e is RawStreamEntry => e !== null);
      if (live.length)
        logger.warn({ count: live.length }, 'event relay: taking over events a dead relay held');
      await relay(live);
      if (deleted?.length) {
        logger.error(
          { count: deleted.length },
          'event relay: events trimmed from the outbox before relaying',
        );
        await redis.xack(stream, RELAY_GROUP, ...deleted);
      }
      cursor = next;
    } while (cursor !== '0-0');
    await forgetDeadConsumers(redis, stream);
  };

  let stopping = false;
  let blocked = false;
  let lastReclaim = 0;
  const loop = (async () => {
    while (!stopping) {
      try {
        if (Date.now() - lastReclaim >= deps.reclaimIdleMs) {
          lastReclaim = Date.now();
          await reclaim();
        }
        blocked = true;
        const read = (await redis.xreadgroup(
          'GROUP',
          RELAY_GROUP,
          consumer,
          'COUNT',
          BATCH,
          'BLOCK',
          Math.min(blockMs, deps.reclaimIdleMs),
          'STREAMS',
          stream,
          '>',
        )) as [string, RawStreamEntry[]][] | null;
        blocked = false;
        if (read?.[0]) await relay(read[0][1]);
      } catch (err) {
        blocked = false;
        if (stopping) break;
        logger.error({ err: err instanceof Error ? err.message : String(err) }, 'event relay: retrying');
        if (err instanceof Error && err.message.includes('NOGROUP'))
          await ensureGroup(redis, stream).catch(() => {});
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();

  logger.info({ consumer }, 'event relay started');
  return {
    close: async () => {
      stopping = true;
      // Only a wait for new entries is cut short; a batch being relayed finishes first.
      if (blocked) redis.disconnect();
      await loop;
    },
  };
}

/** From the start of the stream, so events appended before any relay ever ran are relayed too. */
async function ensureGroup(redis: Redis, stream: string): Promise<void> {
  try {
    await redis.xgroup('CREATE', stream, RELAY_GROUP, '0', 'MKSTREAM');
  } catch (err) {
    if (!(err instanceof Error) || !err.message.includes('BUSYGROUP')) throw err;
  }
}

async function forgetDeadConsumers(redis: Redis, stream: string): Promise<void> {
  const consumers = (await redis.xinfo('CONSUMERS', stream, RELAY_GROUP)) as (string | number)[][];
  for (const fields of consumers) {
    const info = new Map<string, string | number>();
    for (let i = 0; i + 1 < fields.length; i += 2)
      info.set(String(fields[i]), fields[i + 1] as string | number);
    if (Number(info.get('pending')) === 0 && Number(info.get('idle')) > FORGET_CONSUMER_MS)
      await redis.xgroup('DELCONSUMER', stream, RELAY_GROUP, String(info.get('name')));
  }
}
