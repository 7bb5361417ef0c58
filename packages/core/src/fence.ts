import { AsyncLocalStorage } from 'node:async_hooks';
import type { Redis } from 'ioredis';

/**
 * A fencing token: the key of the lock a runner holds (a BullMQ job lock) and the value it holds it
 * with. Every write the runner makes checks, in the same Lua script as the write, that the key still
 * holds that value (src/lua/includes/fence.lua), so a runner whose lock lapsed (an event-loop stall, a
 * pause, a Redis blip) and whose job another worker took over cannot write after the new owner. The key
 * is declared in each script's KEYS: on a Redis Cluster it must share the slot of the keys written,
 * which a hash-tagged QUEUE_PREFIX (BullMQ's prefix and ours) gives.
 */
export interface Fence {
  key: string;
  token: string;
}

const current = new AsyncLocalStorage<Fence>();

/**
 * Runs `work` with every project-store and fix-library write inside it fenced. Carried by async
 * context rather than parameters so no stage can forget to pass it, and the API (which runs no jobs)
 * is never fenced.
 */
export function withFence<T>(fence: Fence, work: () => Promise<T>): Promise<T> {
  return current.run(fence, work);
}

export function currentFence(): Fence | undefined {
  return current.getStore();
}

/** The runner no longer owns its job: it must stop, writing nothing more. */
export class LeaseLostError extends Error {
  readonly code = 'lease_lost';
  constructor(readonly fence: Fence) {
    super(`lost the lease ${fence.key}: another runner owns this job now`);
    this.name = 'LeaseLostError';
  }
}

/**
 * For writes that cannot join a Redis script (files on disk, another module's script): throws
 * LeaseLostError when the current fence is no longer held. The gap between this check and the write is
 * covered by the write being idempotent and content-checked (see deliverVerified).
 */
export async function assertLease(redis: Redis): Promise<void> {
  const fence = currentFence();
  if (!fence) return;
  if ((await redis.get(fence.key)) !== fence.token) throw new LeaseLostError(fence);
}
