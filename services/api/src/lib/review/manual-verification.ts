import { MANUAL_QUEUE } from '@hardfix/contracts';
import { createManualQueue, createRedisClient, type Env, type Logger } from '@hardfix/core';
import { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { logQueueErrors } from '../log-queue-errors.js';
import type { ManualVerification } from './review-deps.js';

/**
 * The manual queue on the API's producer connection, and its events on a connection of their own:
 * QueueEvents blocks on XREAD, which must neither hold up requests nor fail fast like them.
 */
export function openManualVerification(
  env: Env,
  redis: Redis,
  logger: Logger,
): ManualVerification & { close(): Promise<void> } {
  const queue = createManualQueue(redis, env.QUEUE_PREFIX);
  const eventsConnection = createRedisClient(env.REDIS_URL, 'worker', logger, 'api-manual-events');
  const events = new QueueEvents(MANUAL_QUEUE, { connection: eventsConnection, prefix: env.QUEUE_PREFIX });
  events.on('error', (err) => logger.warn({ err: err.message }, 'manual queue events: connection error'));
  logQueueErrors({ [MANUAL_QUEUE]: queue }, logger);
  return {
    queue,
    events,
    close: async () => {
      await events.close();
      await queue.close();
      await eventsConnection.quit().catch(() => eventsConnection.disconnect());
    },
  };
}
