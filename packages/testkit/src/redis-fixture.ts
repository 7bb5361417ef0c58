import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { type ConnectOptions, connectCluster, isClusterUrl } from './redis-cluster.js';

export interface RedisFixture {
  url: string;
  /** Unique per fixture; use it as QUEUE_PREFIX / key prefix so tests sharing a server never collide. */
  prefix: string;
  redis: Redis;
  /** Deletes every key under `prefix` (SCAN + UNLINK) and closes the client. Idempotent. */
  cleanup(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  readonly code = 'redis_unavailable';
  constructor(cause: unknown) {
    super(
      'No Redis for the tests: set REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379), start a Docker engine ' +
        'so testcontainers can run redis:7, or start a Redis on 127.0.0.1:6379 (scripts/setup.sh installs ' +
        `redis-server and starts its service). The container runtime probe said: ${
          cause instanceof Error ? cause.message : String(cause)
        }`,
      { cause },
    );
    this.name = 'RedisUnavailableError';
  }
}

export interface RedisUrlSources {
  /** @defaultValue process.env.REDIS_URL */
  redisUrl?: string | undefined;
  /** Throws when no container engine answers. @defaultValue testcontainers' runtime probe */
  probeDocker?: () => Promise<unknown>;
  /** @defaultValue starts one redis:7 container per process (removed by the testcontainers reaper) */
  startContainer?: () => Promise<string>;
  /**
   * Last resort without REDIS_URL and without Docker: a Redis on the default local port, so `pnpm test`
   * works as written on a machine that runs one (tests only ever touch their own random prefix).
   * Resolves to its URL, or throws when nothing answers. @defaultValue a PING to 127.0.0.1:6379
   */
  probeLocal?: () => Promise<string>;
}

export const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';

async function probeLocalDefault(): Promise<string> {
  const client = new Redis(LOCAL_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return LOCAL_REDIS_URL;
  } finally {
    client.disconnect();
  }
}

let containerUrl: Promise<string> | undefined;

async function probeDockerDefault(): Promise<unknown> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  return getContainerRuntimeClient();
}

function startContainerDefault(): Promise<string> {
  containerUrl ??= import('@testcontainers/redis').then(async ({ RedisContainer }) => {
    const container = await new RedisContainer('redis:7').start();
    return container.getConnectionUrl();
  });
  return containerUrl;
}

/**
 * REDIS_URL when set; otherwise a testcontainers Redis when Docker answers; otherwise a Redis already
 * running on the default local port; otherwise a clear error.
 */
export async function resolveRedisUrl(sources: RedisUrlSources = {}): Promise<string> {
  const fromEnv = 'redisUrl' in sources ? sources.redisUrl : process.env.REDIS_URL;
  if (fromEnv?.trim()) return fromEnv.trim();
  let dockerError: unknown;
  try {
    await (sources.probeDocker ?? probeDockerDefault)();
  } catch (err) {
    dockerError = err;
  }
  if (dockerError === undefined) return (sources.startContainer ?? startContainerDefault)();
  try {
    return await (sources.probeLocal ?? probeLocalDefault)();
  } catch {
    throw new RedisUnavailableError(dockerError);
  }
}

/** Hash-tagged (`{hftest-…}`) when `cluster`, so every key of the prefix lands in one slot. */
export function randomPrefix(cluster = false): string {
  const prefix = `hftest-${randomBytes(6).toString('hex')}`;
  return cluster ? `{${prefix}}` : prefix;
}

/**
 * A client for a test: a Redis, or for a `redis+cluster://` URL an ioredis Cluster (typed as Redis, as
 * the service's own createRedisClient does: the tests use only commands both have).
 */
export function connectRedis(url: string, options: ConnectOptions = {}): Redis {
  if (isClusterUrl(url)) return connectCluster(url, options) as unknown as Redis;
  // Tests should fail fast on a dead server instead of hanging until the test timeout.
  return new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 5_000, ...options });
}

/**
 * Every key matching the glob `pattern`, by SCAN (never KEYS, which on a cluster asks one random node).
 * A cluster's keys are spread over its masters; each is scanned (a hash-tagged prefix's keys share one,
 * but which one is the cluster's business).
 */
export async function scanKeys(redis: Redis | Cluster, pattern: string): Promise<string[]> {
  if (redis instanceof Cluster) {
    const perNode = await Promise.all(redis.nodes('master').map((node) => scanKeys(node, pattern)));
    return perNode.flat();
  }
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/** Escapes glob characters, so a prefix like `{hardfix}` or `a*b` matches only itself. */
export const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/** Every key starting with `prefix`. */
export const keysWithPrefix = (redis: Redis | Cluster, prefix: string) =>
  scanKeys(redis, `${globEscape(prefix)}*`);

/** Deletes every key starting with `prefix`; never FLUSHALL, since other tests share the server. */
export async function deleteKeysWithPrefix(redis: Redis | Cluster, prefix: string): Promise<number> {
  if (redis instanceof Cluster) {
    const counts = await Promise.all(redis.nodes('master').map((node) => deleteKeysWithPrefix(node, prefix)));
    return counts.reduce((a, b) => a + b, 0);
  }
  const found = await keysWithPrefix(redis, prefix);
  let deleted = 0;
  for (let i = 0; i < found.length; i += 500) deleted += await redis.unlink(...found.slice(i, i + 500));
  return deleted;
}

export async function createRedisFixture(sources: RedisUrlSources = {}): Promise<RedisFixture> {
  const url = await resolveRedisUrl(sources);
  const prefix = randomPrefix(isClusterUrl(url));
  const redis = connectRedis(url, { lazyConnect: true });
  redis.on('error', () => {
    // Reported by the failing command; without a listener ioredis would crash the test process.
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new Error(`Cannot reach Redis at ${url}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  let done: Promise<void> | undefined;
  return {
    url,
    prefix,
    redis,
    cleanup() {
      done ??= (async () => {
        try {
          await deleteKeysWithPrefix(redis, prefix);
        } finally {
          await redis.quit().catch(() => redis.disconnect());
        }
      })();
      return done;
    },
  };
}
