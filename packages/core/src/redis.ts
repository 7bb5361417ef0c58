import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger.js';
import { REDIS_DOWN_LOG_MS, reportRedisDown, reportRedisUp } from './redis-outage.js';
import { type ClusterUrl, parseClusterUrl } from './redis-url.js';

export type RedisRole = 'worker' | 'producer';

/**
 * Connections follow BullMQ's production guide:
 * - workers block on Redis and must never give up a command, so `maxRetriesPerRequest: null`
 *   and reconnect forever (with a capped backoff);
 * - producers (the API) fail fast, so a request gets a clear 503 instead of hanging while Redis is down;
 * - every connection has an error listener, otherwise ioredis's 'error' events crash the process; a
 *   Redis that cannot be reached is one log line per `downLogMs` per process, naming the URL (no
 *   password) and what to check (see redis-outage.ts), never a line per retry.
 *
 * A `redis+cluster://` URL gives an ioredis Cluster. It is returned as `Redis`: the service uses only
 * commands both share, and every key it touches carries the hash-tagged prefix, so each command, MULTI
 * and Lua script lands on the one node that owns the prefix's slot.
 */
export function createRedisClient(
  url: string,
  role: RedisRole,
  logger: Logger,
  name: string = role,
  /** How often an outage that lasts is reported again (REDIS_DOWN_LOG_MS). */
  downLogMs = REDIS_DOWN_LOG_MS,
): Redis {
  // Reconnect with a capped exponential backoff; a worker keeps trying forever.
  const retryStrategy = (times: number) => Math.min(2 ** times * 50, 2_000);
  const options: RedisOptions = {
    connectionName: `hardfix-${name}`,
    retryStrategy,
    ...(role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000 }),
  };
  const cluster = parseClusterUrl(url);
  const client = cluster ? createCluster(cluster, options, retryStrategy) : new Redis(url, options);
  client.on('error', (err: Error) => reportRedisDown(url, err, logger, name, downLogMs));
  client.on('ready', () => reportRedisUp(url, logger, name));
  return client as Redis;
}

function createCluster(
  { tls, username, password, nodes }: ClusterUrl,
  options: RedisOptions,
  retryStrategy: (times: number) => number,
): Cluster {
  // The cluster connects its nodes lazily: a node refusing to queue would fail every first command.
  const { enableReadyCheck, enableOfflineQueue, ...nodeOptions } = options;
  const clusterOptions: ClusterOptions = {
    clusterRetryStrategy: retryStrategy,
    ...(enableReadyCheck !== undefined ? { enableReadyCheck } : {}),
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    // BullMQ reads the node options of a Cluster (maxRetriesPerRequest must be null for a worker).
    redisOptions: {
      ...nodeOptions,
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(tls ? { tls: {} } : {}),
    },
  };
  return new Cluster(nodes, clusterOptions);
}
