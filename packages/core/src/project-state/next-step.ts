import type { QueueName, Stage } from '@hardfix/contracts';
import { escalationOf, FLOW, type FlowEnv, type StageFlow } from '../flow.js';

/**
 * The escalation without side effects: given what just happened in a stage, what comes next, read from
 * the flow table (flow.ts). The worker's hand-off.ts carries out the step this returns (each write a
 * `moveTo` of transitions.ts); docs/architecture.md draws it.
 */
export interface FlowSettings {
  normalRetries: number;
  smartRetryMinConfidence: number;
  hardFixMaxAttempts: number;
  retryIntervalMs: number;
}

/** The escalation settings of the environment. */
export function flowOf(env: FlowEnv): FlowSettings {
  return {
    normalRetries: env.NORMAL_RETRIES,
    smartRetryMinConfidence: env.SMART_RETRY_MIN_CONFIDENCE,
    hardFixMaxAttempts: env.HARD_FIX_MAX_ATTEMPTS,
    retryIntervalMs: env.RETRY_INTERVAL_MS,
  };
}

export type Outcome =
  /**
   * Attempt `n` of a stage ended (a single-attempt stage may leave n out). In a stage counted in rounds
   * it was attempt `roundAttempt` (1-based) of the current round.
   */
  | { stage: Stage; n?: number; roundAttempt?: number; verified: boolean }
  /** The stage's gate answered (the failure analysis, before any smart attempt). */
  | { stage: Stage; analysisConfidence: number }
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
  | { kind: 'manual-review'; reason: 'exhausted' | 'budget' }
  /** Nothing: a person decides what follows (a reviewer's attempt that failed). */
  | { kind: 'wait' };

export function nextStep(outcome: Outcome, flow: FlowSettings): Next {
  if ('budgetReached' in outcome) return { kind: 'manual-review', reason: 'budget' };
  const stage = FLOW[outcome.stage];
  if ('analysisConfidence' in outcome) {
    const gate = stage.gate ? gateOf(stage.gate, flow) : 0;
    return outcome.analysisConfidence >= gate ? { kind: 'smart-attempt' } : giveUp(outcome.stage);
  }
  if (outcome.verified) return { kind: 'deliver' };
  // The attempt number on a job keeps counting across rounds; the round's own count decides.
  const n = outcome.n ?? 1;
  const counted = outcome.roundAttempt ?? n;
  const max = stage.attempts ? limitOf(stage.attempts, flow) : 1;
  if (counted < max && stage.queue !== 'manual')
    return {
      kind: 'next-attempt',
      queue: stage.queue,
      n: n + 1,
      delayMs: stage.delay ? flow.retryIntervalMs : 0,
    };
  return giveUp(outcome.stage);
}

/** What the flow table says follows a stage that gave up. */
function giveUp(from: Stage): Next {
  const to = escalationOf(from);
  if (to) return { kind: 'move', to };
  return FLOW[from].escalatesTo === 'manual-review'
    ? { kind: 'manual-review', reason: 'exhausted' }
    : { kind: 'wait' };
}

function limitOf(setting: NonNullable<StageFlow['attempts']>, flow: FlowSettings): number {
  return setting === 'NORMAL_RETRIES' ? flow.normalRetries : flow.hardFixMaxAttempts;
}

function gateOf(_setting: NonNullable<StageFlow['gate']>, flow: FlowSettings): number {
  return flow.smartRetryMinConfidence;
}
