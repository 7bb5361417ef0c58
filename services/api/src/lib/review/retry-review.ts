import { type Project, QUEUES, tokensSpent } from '@hardfix/contracts';
import { enqueueStage } from '@hardfix/core';
import { notFound, wrongState } from '../../errors/http-error.js';
import type { Accepted } from '../submit-project.js';
import { lockedReview, type ReviewDeps } from './review-deps.js';

/**
 * Sends a project back to hard fix with a fresh budget. Attempt numbers keep counting (job ids must
 * stay unique), so the round starts after the highest hard-fix n so far and the worker counts the
 * tier and budget from `hardFixBase`.
 */
export function retryReview(deps: ReviewDeps, id: string): Promise<Accepted> {
  return lockedReview(deps, id, async () => {
    if (!(await deps.store.get(id))) throw notFound(`project ${id} does not exist`);
    let base: number | undefined;
    // The status is checked inside the compare-and-set, so of two racing retries only one moves it.
    const project = await deps.store.update(id, (p) => {
      base = undefined;
      if (p.status !== 'manual-review') return undefined;
      base = lastHardFixN(p);
      return {
        ...p,
        status: 'hard-fix',
        stage: 'hard-fix',
        hardFixBase: base,
        parked: undefined,
        reviewReason: undefined,
        // A fresh token budget too (the worker counts PROJECT_TOKEN_BUDGET from here).
        budgetFrom: { tokens: tokensSpent(p.usage), costMicroUsd: p.usage.costMicroUsd },
      };
    });
    // A repeated request (the client timed out) after the move but before the round's first attempt:
    // answered the same, and the job re-ensured in case the first request died before adding it.
    if (base === undefined && isFreshRound(project)) base = project.hardFixBase;
    if (base === undefined) throw wrongState(id, project.status, 'retried');
    await enqueueStage(deps.queues, QUEUES.hardFix, id, base + 1);
    deps.logger.info({ projectId: id, hardFixBase: base }, 'review: sent back to hard fix');
    return { id, name: project.name, status: 'hard-fix' };
  });
}

function lastHardFixN(p: Project): number {
  const ns = p.attempts.filter((a) => a.stage === 'hard-fix').map((a) => a.n);
  return Math.max(p.hardFixBase ?? 0, ...ns);
}

function isFreshRound(p: Project): boolean {
  const base = p.hardFixBase;
  return (
    p.status === 'hard-fix' &&
    base !== undefined &&
    !p.attempts.some((a) => a.stage === 'hard-fix' && a.n > base)
  );
}
