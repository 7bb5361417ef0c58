import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger.js';

export type RedisRole = 'worker' | 'producer';

/**
 * Connections follow BullMQ's production guide:
 * - workers block on Redis and must never give up a command, so `maxRetriesPerRequest: null`
 *   and reconnect forever (with a capped backoff);
 * - producers (the API) fail fast, so a request gets a clear 503 instead of hanging while Redis is down;
 * - every connection has an error listener, otherwise ioredis's 'error' events crash the process.
 */
export function createRedisClient(url: string, role: RedisRole, logger: Logger, name: string = role): Redis {
  const options: RedisOptions = {
    connectionName: `hardfix-${name}`,
    // Reconnect with a capped exponential backoff; a worker keeps trying forever.
    retryStrategy: (times) => Math.min(2 ** times * 50, 2_000),
    ...(role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000 }),
  };
  const client = new Redis(url, options);
  let lastError = '';
  client.on('error', (err: Error) => {
    // Reconnect loops repeat the same error; log a change of state, not every retry.
    if (err.message !== lastError)
      logger.warn({ err: err.message, connection: name }, 'redis connection error');
    lastError = err.message;
  });
  client.on('ready', () => {
    if (lastError) logger.info({ connection: name }, 'redis connection restored');
    lastError = '';
  });
  return client;
}
