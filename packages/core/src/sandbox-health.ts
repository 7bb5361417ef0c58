import type { DependencyHealthView } from '@hardfix/contracts';
import type { Redis } from 'ioredis';
import { keys } from './keys.js';

/** What a worker publishes about its sandbox (the shape of the sandbox package's health, plus who and until when). */
export interface PublishedSandboxHealth {
  worker: string;
  state: 'starting' | 'ready' | 'failed';
  reasons: string[];
  mode: string;
  languages: Record<
    string,
    { ok: boolean; installed: boolean; reason?: string; durationMs: number; at: string }
  >;
  /** The worker's dependency installer: registries and cache (contracts' dependencyHealthSchema). */
  dependencies?: DependencyHealthView;
  /** Epoch ms after which the entry is stale (its worker stopped beating). */
  expiresAt: number;
}

/** Writes this worker's entry; the heartbeat calls it more often than `ttlMs`. */
export async function publishSandboxHealth(
  redis: Redis,
  prefix: string,
  health: Omit<PublishedSandboxHealth, 'expiresAt'>,
  ttlMs: number,
): Promise<void> {
  const entry: PublishedSandboxHealth = { ...health, expiresAt: Date.now() + ttlMs };
  await redis.hset(keys(prefix).sandboxHealth, health.worker, JSON.stringify(entry));
}

export async function removeSandboxHealth(redis: Redis, prefix: string, worker: string): Promise<void> {
  await redis.hdel(keys(prefix).sandboxHealth, worker);
}

/** The live workers' entries; stale ones (a worker that died without saying goodbye) are dropped. */
export async function readSandboxHealth(redis: Redis, prefix: string): Promise<PublishedSandboxHealth[]> {
  const all = await redis.hgetall(keys(prefix).sandboxHealth);
  const now = Date.now();
  const live: PublishedSandboxHealth[] = [];
  const stale: string[] = [];
  for (const [worker, raw] of Object.entries(all)) {
    try {
      const entry = JSON.parse(raw) as PublishedSandboxHealth;
      if (entry.expiresAt > now) live.push(entry);
      else stale.push(worker);
    } catch {
      stale.push(worker);
    }
  }
  if (stale.length > 0) await redis.hdel(keys(prefix).sandboxHealth, ...stale);
  return live.sort((a, b) => a.worker.localeCompare(b.worker));
}
