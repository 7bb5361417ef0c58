import { randomUUID } from 'node:crypto';
import { keys, luaScript } from '@hardfix/core';
import type { Redis } from 'ioredis';
import { conflict } from '../../errors/http-error.js';

/** Deletes the lock only if it is still ours (see the file's header). */
const releaseScript = luaScript('release-review-lock');

/**
 * Runs one reviewer action on a project at a time. Each action also checks the status inside its
 * compare-and-set, but a resolve waits for a worker to verify the reviewer's files (a manual job) and
 * that attempt writes the project's files before its own move, so without the lock a retry landing
 * during the verification could hand hard fix a reviewer's half-applied files. The TTL frees the lock
 * if this process dies mid-action.
 */
export async function withReviewLock<T>(
  redis: Redis,
  prefix: string,
  projectId: string,
  ttlMs: number,
  action: () => Promise<T>,
): Promise<T> {
  const key = keys(prefix).reviewLock(projectId);
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK')
    throw conflict(
      'review_in_progress',
      `another review action on project ${projectId} is running; retry shortly`,
    );
  try {
    return await action();
  } finally {
    // A failed release only delays the next action until the TTL; it must not mask the answer.
    await releaseScript.run(redis, [key], [token]).catch(() => undefined);
  }
}
