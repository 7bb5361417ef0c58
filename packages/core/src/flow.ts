import { QUEUES, type QueueName, type Stage, type StrategyTier } from '@hardfix/contracts';
import type { Env } from './env.js';

/**
 * The escalation as data: every stage's queue, how many attempts it gets and how far apart, what takes
 * over when it gives up, its tier bands and how it uses the proven-fix library. The transitions
 * (project-state/transitions.ts), the next step (project-state/next-step.ts) and the worker's hand-off
 * and attempt path read this table; nothing else encodes the order, so changing the tier schedule or
 * the escalation order is one edit here (docs/architecture.md, "The flow table").
 */

/** The settings of the environment a stage's limits are read from. */
export type FlowEnv = Pick<
  Env,
  'NORMAL_RETRIES' | 'SMART_RETRY_MIN_CONFIDENCE' | 'HARD_FIX_MAX_ATTEMPTS' | 'RETRY_INTERVAL_MS'
>;

/**
 * How a stage uses the library. `after-failure`: when the stage's own candidate fails, the library's
 * fixes for that failure are verified inside the same attempt before any hand-off (a known mistake
 * costs no further model call). `first`: each attempt's candidate is the library's next untried fix,
 * and the model is asked only when none is left. `none`: never (a reviewer's files are theirs).
 */
export type LibraryPolicy = 'after-failure' | 'first' | 'none';

/** A tier's share of a round: it runs up to this fraction of the round's maximum attempts. */
export interface TierBand {
  tier: StrategyTier;
  upTo: number;
}

export interface StageFlow {
  /** The queue a job of this stage waits in (an import is verified by the hard-fix runner). */
  queue: QueueName | 'manual';
  /** The setting that bounds the stage's attempts; without one the stage has a single attempt. */
  attempts?: 'NORMAL_RETRIES' | 'HARD_FIX_MAX_ATTEMPTS';
  /** The setting that spaces its attempts (a delayed job). */
  delay?: 'RETRY_INTERVAL_MS';
  /** A gate before the stage's attempt: an analysis at least this confident, else it escalates at once. */
  gate?: 'SMART_RETRY_MIN_CONFIDENCE';
  /** Who takes over when the stage gives up: another stage, manual review, or nobody (a person decides). */
  escalatesTo: 'smart-retry' | 'hard-fix' | 'manual-review' | 'nobody';
  /**
   * Whether attempts are counted in rounds: a reviewer may send the project back for a fresh round, and
   * the limit, the tiers and the first job's n are counted from the round's start (Project.hardFixBase).
   */
  rounds: boolean;
  /** The strategy tiers of a round, as fractions of its maximum, so every tier runs whatever it is. */
  tiers?: readonly TierBand[];
  library: LibraryPolicy;
  /**
   * `writes`: the candidate's test files become the project's (the spec). `keeps`: the candidate must
   * leave the current test files byte-identical, or it is refused unrun as a failed attempt.
   */
  spec: 'writes' | 'keeps';
  /** Where the candidate comes from: produced (usually a model call, stored before it is verified) or given with the job. */
  candidate: 'produced' | 'given';
  /**
   * What a candidate that ran and failed leaves as the project's files. `keep`: it becomes the next
   * attempt's starting point. `keep-if-further`: only when it got further than the files it patched
   * (progress.ts). `discard`: never (a reviewer's failed submission is only recorded).
   */
  failedFiles: 'keep' | 'keep-if-further' | 'discard';
}

/** The quarters of a round (the seed's 5/5/5/5 at 20). A tier runs up to `upTo` of the maximum. */
const QUARTERS: readonly TierBand[] = [
  { tier: 'conservative', upTo: 1 / 4 },
  { tier: 'moderate', upTo: 2 / 4 },
  { tier: 'aggressive', upTo: 3 / 4 },
  { tier: 'nuclear', upTo: 1 },
];

export const FLOW: Readonly<Record<Stage, StageFlow>> = {
  generation: {
    queue: QUEUES.generation,
    attempts: 'NORMAL_RETRIES',
    delay: 'RETRY_INTERVAL_MS',
    escalatesTo: 'smart-retry',
    rounds: false,
    library: 'after-failure',
    spec: 'writes',
    candidate: 'produced',
    failedFiles: 'keep',
  },
  'smart-retry': {
    queue: QUEUES.smartRetry,
    gate: 'SMART_RETRY_MIN_CONFIDENCE',
    escalatesTo: 'hard-fix',
    rounds: false,
    library: 'after-failure',
    spec: 'keeps',
    candidate: 'produced',
    failedFiles: 'keep',
  },
  import: {
    queue: QUEUES.hardFix,
    escalatesTo: 'hard-fix',
    rounds: false,
    library: 'after-failure',
    spec: 'writes',
    candidate: 'produced',
    failedFiles: 'keep',
  },
  'hard-fix': {
    queue: QUEUES.hardFix,
    attempts: 'HARD_FIX_MAX_ATTEMPTS',
    delay: 'RETRY_INTERVAL_MS',
    escalatesTo: 'manual-review',
    rounds: true,
    tiers: QUARTERS,
    library: 'first',
    spec: 'keeps',
    candidate: 'produced',
    failedFiles: 'keep-if-further',
  },
  manual: {
    queue: 'manual',
    escalatesTo: 'nobody',
    rounds: false,
    library: 'none',
    spec: 'keeps',
    candidate: 'given',
    failedFiles: 'discard',
  },
};

/** The stage that takes over from `from`, if another stage does. */
export function escalationOf(from: Stage): 'smart-retry' | 'hard-fix' | undefined {
  const to = FLOW[from].escalatesTo;
  return to === 'smart-retry' || to === 'hard-fix' ? to : undefined;
}

/** How many attempts a stage (or a round of it) gets under these settings. */
export function maxAttemptsOf(
  stage: Stage,
  env: Pick<FlowEnv, 'NORMAL_RETRIES' | 'HARD_FIX_MAX_ATTEMPTS'>,
): number {
  const setting = FLOW[stage].attempts;
  return setting ? env[setting] : 1;
}

/**
 * The last attempt of each tier of a stage's round: tier i runs up to ceil(upTo × maximum). With 20
 * attempts that is 5, 10, 15, 20; with 8 it is 2, 4, 6, 8. A maximum below the number of tiers leaves
 * the last tiers out (there are not enough attempts for them).
 */
export function tierEnds(stage: Stage, maxAttempts: number): { tier: StrategyTier; last: number }[] {
  const tiers = FLOW[stage].tiers ?? [];
  return tiers.map(({ tier, upTo }) => ({ tier, last: Math.ceil(upTo * maxAttempts) }));
}

/**
 * The strategy tier of attempt `roundAttempt` (1-based, counted from the round's start) of a hard-fix
 * round of at most `maxAttempts`. Past the maximum (a round is never that long) it stays in the last tier.
 */
export function tierForAttempt(roundAttempt: number, maxAttempts: number): StrategyTier {
  if (!Number.isInteger(roundAttempt) || roundAttempt < 1)
    throw new RangeError(`attempt number must be a positive integer, got ${roundAttempt}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`the maximum attempts must be a positive integer, got ${maxAttempts}`);
  const ends = tierEnds('hard-fix', maxAttempts);
  const band = ends.find((b) => roundAttempt <= b.last) ?? ends[ends.length - 1];
  if (!band) throw new Error('the hard-fix stage has no tiers in the flow table');
  return band.tier;
}

/** The attempts a tier covers in a round of `maxAttempts`, as the prompt names them ("1-5", "16-20"). */
export function tierRange(tier: StrategyTier, maxAttempts: number): string {
  const ends = tierEnds('hard-fix', maxAttempts);
  const i = ends.findIndex((b) => b.tier === tier);
  const first = i <= 0 ? 1 : (ends[i - 1]?.last ?? 0) + 1;
  const last = ends[i]?.last ?? maxAttempts;
  if (first > last) return 'none';
  return first === last ? `${first}` : `${first}-${last}`;
}
