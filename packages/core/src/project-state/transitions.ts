import { type Project, type Stage, tokensSpent } from '@hardfix/contracts';
import { escalationOf, FLOW } from '../flow.js';
import { isActive, isFinal, statusDuring } from './states.js';

/** Everything that moves a project from one (status, stage) to another; nothing else may. */
export type StateEvent =
  /**
   * A stage job begins attempt `n`: the status says so (generating, then retrying from the second). A
   * reviewer's attempt (`manual`) leaves the project in manual review: a person decides what follows.
   */
  | { type: 'attempt-started'; stage: Stage; n: number }
  /** The stage `from` gave up; the next stage of the escalation takes over (the flow table's escalatesTo). */
  | { type: 'escalate'; from: Stage }
  /** A stage that escalates to manual review (hard fix) used up its round of attempts. */
  | { type: 'exhausted' }
  /** The token or cost budget is reached before a model call. */
  | { type: 'budget-reached' }
  /** The project's verified files were written to `path`. */
  | { type: 'delivered'; path: string; at: string }
  /** A reviewer sends the project back to hard fix: a fresh round and a fresh budget. */
  | { type: 'review-retry' }
  /** A reviewer gives up on it for good. */
  | { type: 'review-abandon'; reason: string };

/**
 * The project after `event`, or undefined when the event does not apply where the project is (a
 * repeated hand-off after a crash, a job that a reviewer overtook, two racing reviewers) or would
 * change nothing. Pure, so it is the updater of a compare-and-set: `store.update(id, (p) => moveTo(p,
 * event))` checks and moves in one atomic step, and every result is a legal pair (states.ts).
 */
export function moveTo(project: Project, event: StateEvent): Project | undefined {
  const { status, stage } = project;
  switch (event.type) {
    case 'attempt-started': {
      const shown = statusDuring(event.stage, event.n);
      return stage === event.stage && isActive(status) && status !== shown
        ? { ...project, status: shown }
        : undefined;
    }
    case 'escalate': {
      const to = escalationOf(event.from);
      if (!to || stage !== event.from || !isActive(status)) return undefined;
      return FLOW[to].rounds ? startHardFixRound(project) : { ...project, status: to, stage: to };
    }
    case 'exhausted':
      return FLOW[stage].escalatesTo === 'manual-review' && status === stage
        ? { ...project, status: 'manual-review', stage: 'manual' }
        : undefined;
    case 'budget-reached':
      return isActive(status)
        ? { ...project, status: 'manual-review', stage: 'manual', reviewReason: 'budget', parked: undefined }
        : undefined;
    case 'delivered':
      return isFinal(status)
        ? undefined
        : {
            ...project,
            status: 'delivered',
            parked: undefined,
            delivery: { path: event.path, at: event.at },
          };
    case 'review-retry':
      return status === 'manual-review'
        ? {
            ...startHardFixRound(project),
            parked: undefined,
            reviewReason: undefined,
            // Each round gets the whole budget: the worker counts spending from here.
            budgetFrom: { tokens: tokensSpent(project.usage), costMicroUsd: project.usage.costMicroUsd },
          }
        : undefined;
    case 'review-abandon':
      return status === 'manual-review'
        ? { ...project, status: 'abandoned', abandonReason: event.reason }
        : undefined;
  }
}

/**
 * A round of hard fix. Attempt numbers keep counting across rounds (job ids must stay unique), so the
 * round starts after the highest hard-fix n so far; `hardFixBase` marks it, and the tier and the
 * round's length are counted from it.
 */
function startHardFixRound(project: Project): Project {
  return {
    ...project,
    status: 'hard-fix',
    stage: 'hard-fix',
    hardFixBase: lastHardFixN(project),
  };
}

/** The highest hard-fix attempt number used so far (or the current round's base). */
function lastHardFixN(project: Project): number {
  const ns = project.attempts.filter((a) => a.stage === 'hard-fix').map((a) => a.n);
  return Math.max(project.hardFixBase ?? 0, ...ns);
}

/** The first attempt number of the current hard-fix round. */
export function firstOfRound(project: Project): number {
  return (project.hardFixBase ?? 0) + 1;
}
