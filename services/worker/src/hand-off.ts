import type { Project, QueueName, Stage } from '@hardfix/contracts';
import {
  assertLease,
  enqueueStage,
  FLOW,
  firstOfRound,
  flowOf,
  moveProject,
  type Next,
  nextStep,
  type Outcome,
  STATS,
} from '@hardfix/core';
import type { AttemptResult } from './attempt.js';
import { deliver } from './deliver-project.js';
import type { StageDeps } from './deps.js';

/**
 * The one hand-off after an attempt: decides what follows its result (core's next-step.ts reading the
 * flow table) and does it: delivers verified files, adds the next attempt's job, moves the project to
 * the next stage or to manual review. A skipped attempt hands nothing on. `roundAttempt`: the attempt's
 * place in its round, for a stage counted in rounds. Returns the step and the project as it left it.
 */
export async function handOff(
  deps: StageDeps,
  result: AttemptResult,
  roundAttempt?: number,
): Promise<{ next: Next | undefined; project: Project }> {
  if (result.outcome === 'skipped') return { next: undefined, project: result.project };
  const { stage, n, project } = result;
  const outcome: Outcome = {
    stage,
    n,
    ...(roundAttempt === undefined ? {} : { roundAttempt }),
    verified: result.outcome === 'passed',
  };
  return decide(deps, project, outcome, result.filesHash);
}

/**
 * Hands on what is not an attempt: a stage's gate (the failure analysis's confidence). Also the body of
 * handOff. `verifiedHash`: of the files that verified, so delivery checks they are the project's.
 */
export async function decide(
  deps: StageDeps,
  project: Project,
  outcome: Outcome,
  verifiedHash?: string,
): Promise<{ next: Next; project: Project }> {
  const next = nextStep(outcome, flowOf(deps.env));
  if (next.kind === 'deliver') return { next, project: await deliver(deps, project, verifiedHash) };
  await carryOut(deps, project, outcome.stage, next);
  if (next.kind === 'manual-review' && next.reason === 'exhausted')
    deps.logger.warn(
      { projectId: project.id, stage: outcome.stage, n: 'n' in outcome ? outcome.n : undefined },
      `${outcome.stage} exhausted: waiting for manual review`,
    );
  return { next, project };
}

/**
 * Carries out a step of the escalation. Every write is a `moveTo` in the store's compare-and-set, so
 * it happens only if the project is still where the step starts from, and every job id is
 * deterministic: repeating a hand-off (a re-run after a crash) changes nothing. Inside a job every store
 * write is fenced in its Lua script (a runner that lost its lease gets LeaseLostError, nothing written);
 * adding the next job is BullMQ's own script, which cannot carry the fence, so the lease is checked just
 * before it (see enqueueNext). The smart attempt is run by the caller (stages/smart-retry.ts).
 */
export async function carryOut(deps: StageDeps, held: Project, from: Stage, next: Next): Promise<void> {
  const projectId = held.id;
  switch (next.kind) {
    case 'deliver':
    case 'smart-attempt':
    case 'wait':
      return;
    case 'next-attempt':
      await enqueueNext(deps, next.queue, projectId, next.n, next.delayMs);
      return;
    case 'move': {
      const { project } = await moveProject(deps.store, held, { type: 'escalate', from });
      if (project.stage !== next.to) return;
      const to = FLOW[next.to];
      if (to.queue === 'manual') throw new Error(`the ${next.to} stage takes no pipeline job`);
      await enqueueNext(deps, to.queue, projectId, to.rounds ? firstOfRound(project) : 1);
      return;
    }
    case 'manual-review':
      // Counted with the transition, so /status matches the records exactly.
      if (next.reason === 'budget')
        await moveProject(deps.store, held, { type: 'budget-reached' }, { [STATS.budgetStops]: 1 });
      else await moveProject(deps.store, held, { type: 'exhausted' }, { [STATS.exhausted]: 1 });
      return;
  }
}

/**
 * Adds the next stage job, unless this runner lost its lease: a store update that changed nothing (a
 * repeated hand-off) ran no script, so nothing has checked the fence since the hook began. The add
 * itself stays outside the fence; its deterministic job id makes a late one the new owner's own add.
 */
async function enqueueNext(
  deps: StageDeps,
  queue: QueueName,
  projectId: string,
  n: number,
  delayMs?: number,
): Promise<void> {
  await assertLease(deps.redis);
  await enqueueStage(deps.queues, queue, projectId, n, delayMs);
}
