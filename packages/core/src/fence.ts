import { AsyncLocalStorage } from 'node:async_hooks';
import type { Redis } from 'ioredis';

/**
 * A fencing token: the key of the lock a runner holds (a BullMQ job lock) and the value it holds it
 * with. Every write the runner makes checks, in the same Lua script as the write, that the key still
 * holds that value, so a runner whose lock lapsed (an event-loop stall, a pause, a Redis blip) and
 * whose job another worker took over cannot write after the new owner.
 */
export interface Fence {
  key: string;
  token: string;
}

const current = new AsyncLocalStorage<Fence>();

/**
 * Runs `work` with every project-store write inside it fenced. Carried by async context rather than
 * parameters so no stage can forget to pass it, and the API (which runs no jobs) is never fenced.
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

/**
 * Lua that returns -2 unless KEYS[k] holds ARGV[a]; an empty ARGV[a] means unfenced (KEYS[k] is then
 * any key of the script, so cluster slot rules still hold).
 */
export function fenceLua(k: number, a: number): string {
  return `
if ARGV[${a}] ~= '' and redis.call('GET', KEYS[${k}]) ~= ARGV[${a}] then return -2 end
`;
}

/** The KEYS entry and ARGV entry that `fenceLua` reads; `fallbackKey` is used when unfenced. */
export function fenceArgs(fallbackKey: string): { key: string; token: string; fence: Fence | undefined } {
  const fence = currentFence();
  return fence ? { key: fence.key, token: fence.token, fence } : { key: fallbackKey, token: '', fence };
}
