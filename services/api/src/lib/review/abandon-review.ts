import { moveProject } from '@hardfix/core';
import { notFound, wrongState } from '../../errors/http-error.js';
import { lockedReview, type ReviewDeps } from './review-deps.js';

/** Gives up on a project for good; the reason stays on the record for whoever looks later. */
export function abandonReview(
  deps: ReviewDeps,
  id: string,
  reason: string,
): Promise<{ id: string; name: string; status: 'abandoned' }> {
  return lockedReview(deps, id, async () => {
    if (!(await deps.store.get(id))) throw notFound(`project ${id} does not exist`);
    // Checked inside the compare-and-set: a second abandon (or a racing retry) sees the new status.
    const { project, moved } = await moveProject(deps.store, id, { type: 'review-abandon', reason });
    if (!moved) throw wrongState(id, project.status, 'abandoned');
    deps.logger.info({ projectId: id }, 'review: abandoned');
    return { id, name: project.name, status: 'abandoned' };
  });
}
