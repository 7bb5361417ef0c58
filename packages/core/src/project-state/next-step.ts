import { QUEUES, type QueueName, type Stage } from '@hardfix/contracts';
import type { Env } from '../env.js';

/**
 * The escalation, in one place and without side effects: given what just happened in a stage, what
 * comes next. The worker's stage files run attempts and carry out the step this returns (its
 * hand-off.ts does the writes, each a `moveTo` of transitions.ts); docs/architecture.md draws it.
 */
export interface FlowSettings {
  normalRetries: number;
  smartRetryMinConfidence: number;
  hardFixMaxAttempts: number;
  retryIntervalMs: number;
}

/** The escalation settings of the environment. */
export function flowOf(
  env: Pick<
    Env,
    'NORMAL_RETRIES' | 'SMART_RETRY_MIN_CONFIDENCE' | 'HARD_FIX_MAX_ATTEMPTS' | 'RETRY_INTERVAL_MS'
  >,
): FlowSettings {
  return {
    normalRetries: env.NORMAL_RETRIES,
    smartRetryMinConfidence: env.SMART_RETRY_MIN_CONFIDENCE,
    hardFixMaxAttempts: env.HARD_FIX_MAX_ATTEMPTS,
    retryIntervalMs: env.RETRY_INTERVAL_MS,
  };
}

export type Outcome =
  /** Generation attempt `n` (1-based) ended. */
  | { stage: 'generation'; n: number; verified: boolean }
  /** The failure analysis answered (before any smart attempt). */
  | { stage: 'smart-retry'; analysisConfidence: number }
  /** The smart attempt ended. */
  | { stage: 'smart-retry'; verified: boolean }
  /** An imported project was verified as it came. */
  | { stage: 'import'; verified: boolean }
  /** Hard-fix attempt `n` ended; it was attempt `roundAttempt` (1-based) of the current round. */
  | { stage: 'hard-fix'; n: number; roundAttempt: number; verified: boolean }
  /** The project reached its token or cost budget before a model call. */
  | { stage: Stage; budgetReached: true };

export type Next =
  | { kind: 'deliver' }
  /** The same stage again: attempt `n`, after `delayMs`. */
  | { kind: 'next-attempt'; queue: QueueName; n: number; delayMs: number }
  /** The smart attempt, now (the analysis was confident). */
  | { kind: 'smart-attempt' }
  /** Another stage takes over. */
  | { kind: 'move'; to: 'smart-retry' | 'hard-fix' }
  | { kind: 'manual-review'; reason: 'exhausted' | 'budget' };

export function nextStep(outcome: Outcome, flow: FlowSettings): Next {
  if ('budgetReached' in outcome) return { kind: 'manual-review', reason: 'budget' };
  if ('analysisConfidence' in outcome)
    return outcome.analysisConfidence >= flow.smartRetryMinConfidence
      ? { kind: 'smart-attempt' }
      : { kind: 'move', to: 'hard-fix' };
  if (outcome.verified) return { kind: 'deliver' };
  switch (outcome.stage) {
    case 'generation':
      return outcome.n < flow.normalRetries
        ? { kind: 'next-attempt', queue: QUEUES.generation, n: outcome.n + 1, delayMs: flow.retryIntervalMs }
        : { kind: 'move', to: 'smart-retry' };
    case 'smart-retry':
    case 'import':
      return { kind: 'move', to: 'hard-fix' };
    case 'hard-fix':
      // The attempt number on the job keeps counting across rounds; the round's own count decides.
      return outcome.roundAttempt < flow.hardFixMaxAttempts
        ? { kind: 'next-attempt', queue: QUEUES.hardFix, n: outcome.n + 1, delayMs: flow.retryIntervalMs }
        : { kind: 'manual-review', reason: 'exhausted' };
  }
}
