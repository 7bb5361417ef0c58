import { type ProjectStatus, QUEUES, type QueueName, type Stage } from '@hardfix/contracts';

/**
 * The escalation, in one place and without side effects: given what just happened in a stage, what
 * comes next. The stage files run attempts and carry out the step this returns (hand-off.ts does the
 * writes); docs/architecture.md draws the same table as a state diagram.
 */
export interface FlowSettings {
  normalRetries: number;
  smartRetryMinConfidence: number;
  hardFixMaxAttempts: number;
  retryIntervalMs: number;
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
  /** Hard-fix attempt `n` ended; it was attempt `k` (1-based) of the current round. */
  | { stage: 'hard-fix'; n: number; k: number; verified: boolean }
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
      // The attempt number on the job keeps counting across rounds; the round's length is counted in k.
      return outcome.k < flow.hardFixMaxAttempts
        ? { kind: 'next-attempt', queue: QUEUES.hardFix, n: outcome.n + 1, delayMs: flow.retryIntervalMs }
        : { kind: 'manual-review', reason: 'exhausted' };
  }
}

/** The status a project shows while a stage works on attempt `n` of it. */
export function statusDuring(stage: Stage, n: number): ProjectStatus {
  switch (stage) {
    case 'generation':
      return n === 1 ? 'generating' : 'retrying';
    case 'smart-retry':
      return 'smart-retry';
    case 'hard-fix':
      return 'hard-fix';
    case 'import':
      return 'queued';
    case 'manual':
      return 'manual-review';
  }
}
