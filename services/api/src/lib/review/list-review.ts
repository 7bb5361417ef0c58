import { lastPipelineError, type Project, type ReviewItem } from '@hardfix/contracts';
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
    since: p.attempts.at(-1)?.at ?? p.updatedAt,
  };
}
