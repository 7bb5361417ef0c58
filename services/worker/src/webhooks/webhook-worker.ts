import { WEBHOOK_QUEUE, type WebhookJob } from '@hardfix/contracts';
import {
  callbackUrlProblem,
  isAllowedHost,
  type Logger,
  logBullErrors,
  type ProjectEvents,
  parseAllowedHosts,
  signWebhook,
  webhookRetryDelay,
} from '@hardfix/core';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { BlockedAddressError, pinnedLookup, type Resolve, systemResolve } from './pinned-lookup.js';
import { describeAnswer, describeSendError, postWebhook } from './post-webhook.js';

export interface WebhookWorkerDeps {
  connection: Redis;
  prefix: string;
  events: ProjectEvents;
  logger: Logger;
  /** WEBHOOK_SECRET; when unset the job waits (and retries) for an operator to set it. */
  secret: string | undefined;
  allowedHosts: string | undefined;
  backoffMs: number;
  timeoutMs: number;
  concurrency: number;
  lockDurationMs: number;
  /** How host names are resolved (tests point a made-up name at a local receiver). @defaultValue dns.lookup */
  resolve?: Resolve;
}

/**
 * Sends each event of the `webhooks` queue to its callback, signed. A non-2xx answer, a timeout or a
 * connection error throws, so BullMQ retries with the webhook backoff (doubling, capped at an hour)
 * for about a day; after each try the delivery state GET /projects/:id shows is updated.
 */
export function createWebhookWorker(deps: WebhookWorkerDeps): Worker<WebhookJob> {
  const policy = { allowedHosts: parseAllowedHosts(deps.allowedHosts) };
  const resolve = deps.resolve ?? systemResolve;
  const publicOnly = pinnedLookup(resolve, true);
  const anywhere = pinnedLookup(resolve, false);
  // A host the operator named may be at any address; any other connects only to the public addresses
  // its lookup checked.
  const lookupFor = (url: string) => (isAllowedHost(new URL(url), policy) ? anywhere : publicOnly);
  const send = async (job: Job<WebhookJob>) => {
    const { url, body, eventId } = job.data;
    const problem = callbackUrlProblem(url, policy);
    // The allow-list may have been narrowed since the project was submitted: the operator's word wins.
    if (problem) throw new UnrecoverableError(`callbackUrl ${problem}`);
    if (!deps.secret) throw new Error('WEBHOOK_SECRET is not set on this worker; cannot sign');
    let answer: { status: number };
    try {
      answer = await postWebhook(
        url,
        body,
        {
          'content-type': 'application/json',
          'user-agent': 'hardfix-webhooks',
          'x-hardfix-event-id': eventId,
          'x-hardfix-signature': signWebhook(deps.secret, body),
        },
        deps.timeoutMs,
        lookupFor(url),
      );
    } catch (err) {
      // Not a passing outage: the name leads inside, and a day of retries would only probe it again.
      if (err instanceof BlockedAddressError) throw new UnrecoverableError(`callbackUrl ${err.message}`);
      throw new Error(describeSendError(err));
    }
    if (answer.status < 200 || answer.status > 299) throw new Error(describeAnswer(answer.status));
  };

  const worker = new Worker<WebhookJob>(
    WEBHOOK_QUEUE,
    async (job) => {
      const { projectId, eventId } = job.data;
      const tryNumber = job.attemptsStarted;
      const at = new Date().toISOString();
      try {
        await send(job);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const last = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        await deps.events.setDelivery(projectId, eventId, {
          state: last ? 'failed' : 'pending',
          attempts: tryNumber,
          lastError: message,
          lastAttemptAt: at,
        });
        deps.logger.warn(
          { projectId, eventId, try: tryNumber, err: message, final: last },
          'webhook not accepted',
        );
        throw err;
      }
      await deps.events.setDelivery(projectId, eventId, {
        state: 'delivered',
        attempts: tryNumber,
        deliveredAt: new Date().toISOString(),
        lastAttemptAt: at,
      });
      deps.logger.info({ projectId, eventId, try: tryNumber }, 'webhook delivered');
    },
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: deps.concurrency,
      lockDuration: deps.lockDurationMs,
      stalledInterval: deps.lockDurationMs,
      // A send whose worker died is sent again by another: at-least-once, the receiver dedupes by id.
      maxStalledCount: 5,
      settings: { backoffStrategy: (attemptsMade) => webhookRetryDelay(deps.backoffMs, attemptsMade) },
    },
  );
  logBullErrors({ [WEBHOOK_QUEUE]: worker }, deps.logger, { level: 'error', what: 'worker' });
  return worker;
}
