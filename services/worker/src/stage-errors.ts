import type { StageJob } from '@hardfix/contracts';
import { InvalidFilesError, ProjectNotFoundError, pauseLlm, readLlmPause } from '@hardfix/core';
import {
  LlmAuthError,
  LlmNoAnswerError,
  LlmNotConfiguredError,
  LlmRequestError,
  LlmSpendLimitError,
  LlmTransientError,
} from '@hardfix/llm';
import { RegistryUnavailableError, SandboxFault, UnsafePathError } from '@hardfix/sandbox';
import { DelayedError, type Job, type Queue, RateLimitError, UnrecoverableError } from 'bullmq';
import type { StageDeps } from './deps.js';

const MAX_DEFER_MS = 10 * 60_000;
const REGISTRY_RECHECK_MS = 60_000;

/**
 * Turns outages into waiting instead of failed attempts. The attempt number lives in the job data, so
 * none of these paths can consume a generation or fix attempt:
 * - rate limit / overload: the whole queue pauses for the time the API asked for (BullMQ rate limit);
 * - timeouts, 5xx, connection trouble after the SDK's own retries: this job is delayed with backoff;
 * - no key, a rejected key, or a request the API refuses (an unknown model, say): the project is parked
 *   with the reason for an operator to see, and the job re-checks later — a configuration mistake must
 *   not burn through the attempts of every project in flight;
 * - an answer with no usable tool call (prose, cut off, a refusal) after the client asked again: parked
 *   the same way, with the model's reason;
 * - a spend limit: every LLM stage pauses (one Redis key with a TTL, shown in /status and /ready) and
 *   this job waits until the pause ends, so a pool of workers does not retry a call that cannot pass;
 * - a sandbox fault (the verification could not run the program at all), or a package registry that
 *   does not answer (PIP_INDEX_URL / NPM_CONFIG_REGISTRY): parked the same way. The candidate is
 *   already stored, so the re-run verifies it again without asking the model;
 * - a file path the sandbox refuses, or files the store will not write (both: saved under an older
 *   path rule): parked with the path and the reason, so an operator sees why rather than a project
 *   that stays queued with no attempt.
 * A job for a project that does not exist fails at once (nothing to retry); anything else is rethrown
 * for BullMQ's own retry with backoff.
 */
export async function handleStageError(
  err: unknown,
  job: Job<StageJob>,
  token: string | undefined,
  queue: Queue<StageJob>,
  deps: StageDeps,
): Promise<never> {
  const interval = Math.max(deps.env.RETRY_INTERVAL_MS, 50);
  if (err instanceof LlmTransientError && (err.kind === 'rate_limit' || err.kind === 'overloaded')) {
    const wait = err.retryAfterMs ?? interval;
    deps.logger.warn({ projectId: job.data.projectId, kind: err.kind, wait }, 'LLM asks us to slow down');
    await queue.rateLimit(wait);
    throw new RateLimitError();
  }
  if (err instanceof LlmSpendLimitError) {
    const pause =
      (await readLlmPause(deps.redis, deps.env.QUEUE_PREFIX)) ??
      (await pauseLlm(deps.redis, deps.env.QUEUE_PREFIX, err.message, deps.env.LLM_SPEND_LIMIT_PAUSE_MS));
    const reason = `LLM spend limit reached: ${pause.reason}`;
    deps.logger.error(
      { projectId: job.data.projectId, until: pause.until, reason },
      'LLM stages paused: the organisation reached its spend limit',
    );
    await park(deps, job, reason);
    await job.moveToDelayed(Math.max(Date.parse(pause.until), Date.now() + 50), token);
    throw new DelayedError();
  }
  if (
    err instanceof LlmTransientError ||
    err instanceof LlmNoAnswerError ||
    err instanceof LlmAuthError ||
    err instanceof LlmNotConfiguredError ||
    err instanceof LlmRequestError ||
    err instanceof SandboxFault ||
    err instanceof RegistryUnavailableError ||
    err instanceof UnsafePathError ||
    err instanceof InvalidFilesError
  ) {
    const deferrals = (job.data.deferrals ?? 0) + 1;
    // A registry is polled at least once a minute: the project resumes soon after it answers again.
    const cap = err instanceof RegistryUnavailableError ? REGISTRY_RECHECK_MS : MAX_DEFER_MS;
    const wait = Math.min(interval * 2 ** Math.min(deferrals - 1, 16), cap);
    const reason = parkReason(err);
    deps.logger.warn({ projectId: job.data.projectId, reason, wait }, 'work parked');
    await park(deps, job, reason);
    await job.updateData({ ...job.data, deferrals });
    await job.moveToDelayed(Date.now() + wait, token);
    throw new DelayedError();
  }
  if (err instanceof ProjectNotFoundError) throw new UnrecoverableError(err.message);
  throw err;
}

/** Shows the project as waiting, with why (GET /projects/:id `parked`). */
async function park(deps: StageDeps, job: Job<StageJob>, reason: string): Promise<void> {
  await deps.store.update(job.data.projectId, (p) => ({
    ...p,
    parked: { reason, at: new Date().toISOString() },
  }));
}

function parkReason(
  err:
    | LlmTransientError
    | LlmNoAnswerError
    | LlmAuthError
    | LlmNotConfiguredError
    | LlmRequestError
    | SandboxFault
    | RegistryUnavailableError
    | UnsafePathError
    | InvalidFilesError,
): string {
  if (err instanceof RegistryUnavailableError) return `dependencies cannot be installed: ${err.message}`;
  if (err instanceof LlmNoAnswerError) return `LLM gave no usable answer (${err.kind}): ${err.message}`;
  if (err instanceof UnsafePathError) return `the sandbox refuses a file: ${err.message}`;
  if (err instanceof InvalidFilesError) return err.message;
  if (err instanceof SandboxFault) return `sandbox fault (not the program's): ${err.message}`;
  if (err instanceof LlmNotConfiguredError) return 'LLM not configured: set ANTHROPIC_API_KEY';
  if (err instanceof LlmAuthError) return `LLM rejected the API key: ${err.message}`;
  if (err instanceof LlmRequestError)
    return `LLM rejected the request (check LLM_MODEL; \`pnpm llm:check\` shows what it accepts): ${err.message}`;
  return `LLM unavailable (${err.kind}): ${err.message}`;
}
