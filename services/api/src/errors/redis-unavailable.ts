import { isRedisConnectionError } from '@hardfix/core';
import type { Redis } from 'ioredis';

/** Redis did not answer in time (or at all); the request may be retried once Redis is back. */
export class RedisUnavailableError extends Error {
  readonly code = 'redis_unavailable';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RedisUnavailableError';
  }
}

/**
 * True when `err` means "Redis is not reachable" rather than a bug. A connection that is not ready
 * also counts: whatever failed while Redis was down is reported as Redis being down, not as a 500.
 */
export function isRedisUnavailable(err: unknown, redis?: Redis): boolean {
  if (err instanceof RedisUnavailableError) return true;
  if (!(err instanceof Error)) return false;
  if (isRedisConnectionError(err)) return true;
  return redis !== undefined && redis.status !== 'ready';
}
