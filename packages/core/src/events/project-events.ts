import {
  type EventDelivery,
  eventDeliverySchema,
  type ProjectEventView,
  projectEventSchema,
} from '@hardfix/contracts';
import type { Redis } from 'ioredis';
import { keys as keysFor } from '../keys.js';
import { luaScript } from '../lua/index.js';

const DELIVERY_SUFFIX = '|delivery';
const FAIL_PENDING = luaScript('fail-pending-delivery');

/**
 * A delivery state as it may be shown. Workers before issue 21 stored up to 200 characters of the
 * receiver's answer (`answered 500: <body>`) and the connect error's address and port; what a receiver
 * or an internal host said is never shown, so such a record is cut to the status code or error code.
 */
function shown(delivery: EventDelivery): EventDelivery {
  const error = delivery.lastError;
  if (error === undefined) return delivery;
  const answered = /^answered (\d{3}):/.exec(error);
  const connect = /^(?:connect|read|write) ([A-Z_]+)\b/.exec(error);
  if (answered) return { ...delivery, lastError: `answered ${answered[1]}` };
  if (connect) return { ...delivery, lastError: `connection failed (${connect[1]})` };
  return delivery;
}

/**
 * A project's events and the state of their webhooks (keys.projectEvents: event id → event JSON, and
 * "<event id>|delivery" → EventDelivery JSON). The store writes both with the transition; the webhook
 * worker updates the delivery state after each request.
 */
export class ProjectEvents {
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = keysFor(prefix);
  }

  /** Oldest first (by the version that made them, which is the order of the transitions). */
  async list(projectId: string): Promise<ProjectEventView[]> {
    const raw = await this.redis.hgetall(this.keys.projectEvents(projectId));
    const views: { version: number; view: ProjectEventView }[] = [];
    for (const [field, value] of Object.entries(raw)) {
      if (field.endsWith(DELIVERY_SUFFIX)) continue;
      const event = projectEventSchema.parse(JSON.parse(value));
      const delivery = raw[field + DELIVERY_SUFFIX];
      views.push({
        version: Number(event.id.slice(event.id.lastIndexOf('-') + 1)),
        view: {
          ...event,
          ...(delivery ? { delivery: shown(eventDeliverySchema.parse(JSON.parse(delivery))) } : {}),
        },
      });
    }
    return views.sort((a, b) => a.version - b.version).map((v) => v.view);
  }

  async getDelivery(projectId: string, eventId: string): Promise<EventDelivery | undefined> {
    const raw = await this.redis.hget(this.keys.projectEvents(projectId), eventId + DELIVERY_SUFFIX);
    return raw === null ? undefined : shown(eventDeliverySchema.parse(JSON.parse(raw)));
  }

  async setDelivery(projectId: string, eventId: string, delivery: EventDelivery): Promise<void> {
    const value = JSON.stringify(eventDeliverySchema.parse(delivery));
    await this.redis.hset(this.keys.projectEvents(projectId), eventId + DELIVERY_SUFFIX, value);
  }

  /**
   * Records a delivery as failed only if it is still pending (see fail-pending-delivery.lua). Returns
   * whether it was written.
   */
  async failPendingDelivery(projectId: string, eventId: string, delivery: EventDelivery): Promise<boolean> {
    const value = JSON.stringify(eventDeliverySchema.parse({ ...delivery, state: 'failed' }));
    const written = await FAIL_PENDING.run(
      this.redis,
      [this.keys.projectEvents(projectId)],
      [eventId + DELIVERY_SUFFIX, value],
    );
    return written === 1;
  }
}
