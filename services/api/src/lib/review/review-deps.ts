import type { Env, Logger, ManualQueue, ProjectStore, StageQueues } from '@hardfix/core';
import type { QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { withReviewLock } from './review-lock.js';

/** Where reviewers' fixes go to be verified by a worker, and where its answers are heard. */
export interface ManualVerification {
  queue: ManualQueue;
  events: QueueEvents;
}

/** What the review actions use; the app's decorations, passed explicitly so each action is testable. */
export interface ReviewDeps {
  env: Env;
  redis: Redis;
  store: ProjectStore;
  queues: StageQueues;
  manual: ManualVerification;
  logger: Logger;
}

/** Waiting for a worker's verification is the longest step an action takes; the margin covers the Redis writes around it. */
const LOCK_MARGIN_MS = 30_000;

export function lockedReview<T>(deps: ReviewDeps, projectId: string, action: () => Promise<T>): Promise<T> {
  const ttl = deps.env.RESOLVE_WAIT_MS + deps.env.VERIFY_TIMEOUT_MS + LOCK_MARGIN_MS;
  return withReviewLock(deps.redis, deps.env.QUEUE_PREFIX, projectId, ttl, action);
}
