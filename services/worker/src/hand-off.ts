import { type Project, QUEUES, type Stage } from '@hardfix/contracts';
import { enqueueStage, STATS } from '@hardfix/core';
import type { StageDeps } from './deps.js';
import { type FlowSettings, type Next, nextStep, type Outcome } from './transitions.js';

/** The escalation settings of the environment, as transitions.ts takes them. */
export function flowOf(deps: Pick<StageDeps, 'env'>): FlowSettings {
  return {
    normalRetries: deps.env.NORMAL_RETRIES,
    smartRetryMinConfidence: deps.env.SMART_RETRY_MIN_CONFIDENCE,
    hardFixMaxAttempts: deps.env.HARD_FIX_MAX_ATTEMPTS,
    retryIntervalMs: deps.env.RETRY_INTERVAL_MS,
  };
}

/**
 * Decides what follows `outcome` (transitions.ts) and does it. `known` is the record the stage holds
 * (its own last write): the transition's compare-and-set starts from it instead of a read.
 */
export async function handOff(
  deps: StageDeps,
  projectId: string,
  outcome: Outcome,
  known?: Project,
): Promise<Next> {
  const next = nextStep(outcome, flowOf(deps));
  await carryOut(deps, projectId, outcome.stage, next, known);
  return next;
}

/**
 * Carries out a step of the escalation. Every write is conditional on the project still being where
 * the step starts from, and every job id is deterministic, so repeating a hand-off (a re-run after a
 * crash) changes nothing. Delivery and the smart attempt are run by the caller (attempt.ts).
 */
export async function carryOut(
  deps: StageDeps,
  projectId: string,
  from: Stage,
  next: Next,
  known?: Project,
): Promise<void> {
  switch (next.kind) {
    case 'deliver':
    case 'smart-attempt':
      return;
    case 'next-attempt':
      await enqueueStage(deps.queues, next.queue, projectId, next.n, next.delayMs);
      return;
    case 'move':
      if (next.to === 'hard-fix') return handToHardFix(deps, projectId, from, known);
      await deps.store.update(
        projectId,
        (p) => (p.stage === from ? { ...p, stage: 'smart-retry', status: 'smart-retry' } : undefined),
        {},
        known,
      );
      await enqueueStage(deps.queues, QUEUES.smartRetry, projectId, 1);
      return;
    case 'manual-review':
      if (next.reason === 'budget') {
        await deps.store.update(
          projectId,
          (p) =>
            p.status === 'delivered' || p.status === 'abandoned' || p.reviewReason === 'budget'
              ? undefined
              : { ...p, stage: 'manual', status: 'manual-review', reviewReason: 'budget', parked: undefined },
          { [STATS.budgetStops]: 1 },
          known,
        );
        return;
      }
      // Counted with the transition, so the success rate in /status matches the records exactly.
      await deps.store.update(
        projectId,
        (p) => (p.stage === from ? { ...p, stage: 'manual', status: 'manual-review' } : undefined),
        { [STATS.exhausted]: 1 },
        known,
      );
      return;
  }
}

/**
 * Moves a project from the stage it is in to hard fix, starting a round of HARD_FIX_MAX_ATTEMPTS.
 * Attempt numbers keep counting across rounds (job ids stay unique); `hardFixBase` marks where this
 * round starts. Safe to repeat: the stage check makes the update a no-op and the job id is fixed.
 */
async function handToHardFix(
  deps: StageDeps,
  projectId: string,
  from: Stage,
  known: Project | undefined,
): Promise<void> {
  const project = await deps.store.update(
    projectId,
    (p) =>
      p.stage === from
        ? {
            ...p,
            stage: 'hard-fix',
            status: 'hard-fix',
            hardFixBase: Math.max(0, ...p.attempts.filter((a) => a.stage === 'hard-fix').map((a) => a.n)),
          }
        : undefined,
    {},
    known,
  );
  if (project.stage !== 'hard-fix') return;
  await enqueueStage(deps.queues, QUEUES.hardFix, projectId, (project.hardFixBase ?? 0) + 1);
}
