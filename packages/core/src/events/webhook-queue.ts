import { WEBHOOK_QUEUE, type WebhookJob } from '@hardfix/contracts';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** How long a webhook is retried before it counts as failed (the contract: "for up to a day"). */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3600_000;
/** No wait between two tries grows beyond this, so a receiver back after an outage hears soon. */
export const WEBHOOK_MAX_DELAY_MS = 3600_000;
export const WEBHOOK_BACKOFF_TYPE = 'webhook';

/** The wait before retry `attemptsMade` (1 = after the first failure): doubling from `baseMs`, capped. */
export function webhookRetryDelay(baseMs: number, attemptsMade: number): number {
  return Math.min(baseMs * 2 ** Math.min(Math.max(attemptsMade - 1, 0), 30), WEBHOOK_MAX_DELAY_MS);
}

/** Tries (the first included) whose waits add up to the retry window: 33 with the 10 s default. */
export function webhookAttempts(baseMs: number): number {
  let waited = 0;
  let attempts = 1;
  while (waited < WEBHOOK_RETRY_WINDOW_MS) {
    waited += webhookRetryDelay(baseMs, attempts);
    attempts += 1;
  }
  return attempts;
}

export type WebhookQueue = Queue<WebhookJob>;

/**
 * The `webhooks` queue: one job per event, its id the event id, so the relay adding an event twice
 * (after a crash before it acknowledged the outbox entry) adds nothing.
 */
export function createWebhookQueue(connection: Redis, prefix: string): WebhookQueue {
  return new Queue<WebhookJob>(WEBHOOK_QUEUE, { connection, prefix });
}

export function webhookJobOptions(baseMs: number, eventId: string) {
  return {
    jobId: eventId,
    attempts: webhookAttempts(baseMs),
    backoff: { type: WEBHOOK_BACKOFF_TYPE, delay: baseMs },
    // Kept past the retry window, so a late duplicate add of the same event is still a no-op.
    removeOnComplete: { age: 7 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
