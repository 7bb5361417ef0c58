import { describe, expect, it } from 'vitest';
import {
  WEBHOOK_MAX_DELAY_MS,
  WEBHOOK_RETRY_WINDOW_MS,
  webhookAttempts,
  webhookRetryDelay,
} from './webhook-queue.js';

describe('webhook backoff', () => {
  it('doubles from the base, capped at an hour', () => {
    expect([1, 2, 3, 4].map((n) => webhookRetryDelay(10_000, n))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(webhookRetryDelay(10_000, 12)).toBe(WEBHOOK_MAX_DELAY_MS);
    expect(webhookRetryDelay(10_000, 10_000)).toBe(WEBHOOK_MAX_DELAY_MS);
  });

  it('keeps trying for about a day, and no longer', () => {
    for (const base of [100, 10_000, 60_000]) {
      const attempts = webhookAttempts(base);
      const waits = Array.from({ length: attempts - 1 }, (_, i) => webhookRetryDelay(base, i + 1));
      const total = waits.reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThanOrEqual(WEBHOOK_RETRY_WINDOW_MS);
      expect(total - (waits.at(-1) ?? 0)).toBeLessThan(WEBHOOK_RETRY_WINDOW_MS);
    }
    expect(webhookAttempts(10_000)).toBe(33);
  });
});
