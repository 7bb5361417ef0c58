import type { Env, FixLibrary, Logger, ProjectStore, StageQueues } from '@hardfix/core';
import type { Sandbox } from '@hardfix/sandbox';
import type { Redis } from 'ioredis';
import { withReviewLock } from './review-lock.js';

/** What the review actions use; the app's decorations, passed explicitly so each action is testable. */
export interface ReviewDeps {
  env: Env;
  redis: Redis;
  store: ProjectStore;
  queues: StageQueues;
  library: FixLibrary;
  sandbox: Sandbox;
  logger: Logger;
}

/** Verification is the longest step an action takes; the margin covers the Redis writes around it. */
const LOCK_MARGIN_MS = 60_000;

export function lockedReview<T>(deps: ReviewDeps, projectId: string, action: () => Promise<T>): Promise<T> {
  const ttl = deps.env.VERIFY_TIMEOUT_MS + LOCK_MARGIN_MS;
  return withReviewLock(deps.redis, deps.env.QUEUE_PREFIX, projectId, ttl, action);
}
