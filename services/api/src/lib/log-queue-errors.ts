import type { Logger } from '@hardfix/core';
import type { Queue } from 'bullmq';
import { isRedisUnavailable } from '../errors/redis-unavailable.js';

/**
 * A BullMQ queue without an 'error' listener prints every reconnect failure to stderr. The shared
 * Redis connection already logs connection trouble once per change, so those are only debug here.
 */
export function logQueueErrors(queues: Record<string, Queue>, logger: Logger): void {
  for (const [name, queue] of Object.entries(queues)) {
    queue.on('error', (err: Error) => {
      if (isRedisUnavailable(err)) logger.debug({ queue: name, err: err.message }, 'queue connection error');
      else logger.warn({ queue: name, err }, 'queue error');
    });
  }
}
