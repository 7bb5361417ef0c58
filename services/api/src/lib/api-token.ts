import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@hardfix/core';

/**
 * The configured token, or a fresh random one logged once so the operator can use it: a service
 * started without configuration is still never open for writes.
 */
export function resolveApiToken(configured: string | undefined, logger: Logger): string {
  if (configured !== undefined) return configured;
  const token = randomBytes(24).toString('base64url');
  logger.warn(`API_TOKEN is not set; generated a token for this process: ${token}`);
  return token;
}

/**
 * Constant-time comparison. Hashing first gives equal-length buffers, so neither the content nor
 * the length of the expected token leaks through timing.
 */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
