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
import type { StageDeps } from './deps.js';

/**
 * Decides what follows `outcome` (core's next-step.ts) and does it. `project`: the record as the
 * stage last read or wrote it (a stale one only costs a re-read).
 */
export async function handOff(deps: StageDeps, project: Project, outcome: Outcome): Promise<Next> {
  const next = nextStep(outcome, flowOf(deps.env));
  await carryOut(deps, project, outcome.stage, next);
  return next;
}

/**
 * Carries out a step of the escalation. Every write is a `moveTo` in the store's compare-and-set, so
 * it happens only if the project is still where the step starts from, and every job id is
 * deterministic: repeating a hand-off (a re-run after a crash) changes nothing. Inside a job every store
 * write is fenced in its Lua script (a runner that lost its lease gets LeaseLostError, nothing written);
 * adding the next job is BullMQ's own script, which cannot carry the fence, so the lease is checked just
 * before it (see enqueueNext). Delivery and the smart attempt are run by the caller (attempt.ts).
 */
export async function carryOut(deps: StageDeps, held: Project, from: Stage, next: Next): Promise<void> {
  const projectId = held.id;
  switch (next.kind) {
    case 'deliver':
    case 'smart-attempt':
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
