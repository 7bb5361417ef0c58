import type { AttemptError, Project, ReviewItem } from '@hardfix/contracts';
import { InvalidCursorError, type ProjectStore } from '@hardfix/core';
import { badRequest } from '../../errors/http-error.js';

/** One page of the projects waiting for a person, read from the manual-review status index. */
export async function listReview(
  store: ProjectStore,
  limit: number,
  cursor: string | undefined,
): Promise<{ items: ReviewItem[]; nextCursor?: string }> {
  const page = await store.list('manual-review', limit, cursor).catch((err: unknown) => {
    throw err instanceof InvalidCursorError ? badRequest(`query.cursor: ${err.message}`) : err;
  });
  return {
    // A record read just after a reviewer acted on it may have left the index already.
    items: page.items.filter((p) => p.status === 'manual-review').map(toReviewItem),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

function toReviewItem(p: Project): ReviewItem {
  return {
    id: p.id,
    name: p.name,
    language: p.language,
    attempts: p.attempts.length,
    lastError: lastPipelineError(p) ?? null,
    ...(p.reviewReason ? { reason: p.reviewReason } : {}),
  };
}

/**
 * The error the pipeline gave up on. A reviewer's own failed submissions are left out: what needs
 * fixing is still the pipeline's last error, and that is also the key the manual fix is saved under.
 */
export function lastPipelineError(p: Project): AttemptError | undefined {
  return p.attempts.findLast((a) => a.stage !== 'manual' && a.error !== undefined)?.error;
}
