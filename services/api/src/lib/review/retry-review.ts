import { type Project, QUEUES } from '@hardfix/contracts';
import { enqueueStage, firstOfRound, moveProject } from '@hardfix/core';
import { notFound, wrongState } from '../../errors/http-error.js';
import type { Accepted } from '../submit-project.js';
import { lockedReview, type ReviewDeps } from './review-deps.js';

/**
 * Sends a project back to hard fix with a fresh round and budget (core's `review-retry` move: the
 * round starts after the highest hard-fix attempt number so far, so job ids stay unique).
 */
export function retryReview(deps: ReviewDeps, id: string): Promise<Accepted> {
  return lockedReview(deps, id, async () => {
    if (!(await deps.store.get(id))) throw notFound(`project ${id} does not exist`);
    // The move is checked inside the compare-and-set, so of two racing retries only one makes it.
    const { project, moved } = await moveProject(deps.store, id, { type: 'review-retry' });
    // A repeated request (the client timed out) after the move but before the round's first attempt:
    // answered the same, and the job re-ensured in case the first request died before adding it.
    if (!moved && !isFreshRound(project)) throw wrongState(id, project.status, 'retried');
    await enqueueStage(deps.queues, QUEUES.hardFix, id, firstOfRound(project));
    deps.logger.info({ projectId: id, hardFixBase: project.hardFixBase }, 'review: sent back to hard fix');
    return { id, name: project.name, status: 'hard-fix' };
  });
}

function isFreshRound(p: Project): boolean {
  const base = p.hardFixBase;
  return (
    p.status === 'hard-fix' &&
    base !== undefined &&
    !p.attempts.some((a) => a.stage === 'hard-fix' && a.n > base)
  );
}
