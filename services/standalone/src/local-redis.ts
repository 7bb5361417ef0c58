import { join, relative, resolve } from 'node:path';
import type { Env } from '@hardfix/core';
import { type EmbeddedRedis, startEmbeddedRedis } from './embedded-redis.js';
import { hostAndPort, pingRedis } from './ping-redis.js';

/** The repository's state directory, found from this file's place in it (src/ or dist/ alike). */
export const DEFAULT_STATE_DIR = resolve(import.meta.dirname, '../../../.hardfix');

export interface LocalRedis {
  url: string;
  /** Set when no Redis was configured or found and this process uses (and may own) its own. */
  embedded?: EmbeddedRedis;
  /** With `embedded`: the one line to tell the user (which Redis, where its data is, how to use a real one). */
  note?: string;
}

/**
 * The Redis for `pnpm start` and `pnpm demo`. REDIS_URL set: that one, whether it answers or not (an
 * outage is reported and waited for, never papered over with a local server). Unset: the default address
 * when something answers there, else an embedded redis-server (see embedded-redis.ts), with a note saying so.
 */
export async function resolveLocalRedis(env: Env, redisUrlSet: boolean): Promise<LocalRedis> {
  if (redisUrlSet) return { url: env.REDIS_URL };
  const probe = env.HARDFIX_LOCAL_REDIS_URL;
  const { host, port } = hostAndPort(probe);
  if ((await pingRedis(host, port).catch(() => undefined)) !== undefined) return { url: probe };
  const dir = join(env.HARDFIX_STATE_DIR ?? DEFAULT_STATE_DIR, 'redis');
  const embedded = await startEmbeddedRedis({ dir });
  const shown = dir.startsWith(`${process.cwd()}/`) ? relative(process.cwd(), dir) : dir;
  const note = embedded.owned
    ? `REDIS_URL is unset and nothing answers on ${probe}: started an embedded Redis at ${embedded.url} (append-only file in ${shown}), stopped with this process; to use your own Redis, set REDIS_URL`
    : `REDIS_URL is unset and nothing answers on ${probe}: using the embedded Redis at ${embedded.url} that another hardfix process of this checkout started (data in ${shown}); to use your own Redis, set REDIS_URL`;
  return { url: embedded.url, embedded, note };
}
