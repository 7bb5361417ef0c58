import type { Env, Logger, ManualQueue, ProjectStore, StageQueues } from '@hardfix/core';
import type { Redis } from 'ioredis';
import { withReviewLock } from './review-lock.js';

/** What the review actions use; the app's decorations, passed explicitly so each action is testable. */
export interface ReviewDeps {
  env: Env;
  redis: Redis;
  store: ProjectStore;
  queues: StageQueues;
  /** Where reviewers' fixes go for a worker to verify (the API runs no code). */
  manualQueue: ManualQueue;
  logger: Logger;
}

/** Waiting for a worker's verification is the longest step an action takes; the margin covers the Redis writes around it. */
const LOCK_MARGIN_MS = 30_000;

export function lockedReview<T>(deps: ReviewDeps, projectId: string, action: () => Promise<T>): Promise<T> {
  const ttl = deps.env.RESOLVE_WAIT_MS + deps.env.VERIFY_TIMEOUT_MS + LOCK_MARGIN_MS;
  return withReviewLock(deps.redis, deps.env.QUEUE_PREFIX, projectId, ttl, action);
}
