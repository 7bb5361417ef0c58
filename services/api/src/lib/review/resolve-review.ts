import { setTimeout } from 'node:timers/promises';
import {
  type ManualOutcome,
  manualJobId,
  manualOutcomeSchema,
  type ResolveReviewBody,
} from '@hardfix/contracts';
import { filesHash, type ManualQueue } from '@hardfix/core';
import { conflict, HttpError, notFound, wrongState } from '../../errors/http-error.js';
import { checkManifest } from '../check-manifest.js';
import { lockedReview, type ReviewDeps } from './review-deps.js';

export interface Resolved {
  id: string;
  name: string;
  status: 'delivered';
  delivery: { path: string };
}

/**
 * A reviewer's fix, verified by a worker like any other candidate (the API runs no untrusted code):
 * the files go on the manual queue as attempt n and this waits for the worker's answer. Files that
 * fail change nothing but the history (a failed `manual` attempt) and answer 422; files that work are
 * delivered and saved to the library (services/worker/src/stages/manual.ts).
 */
export function resolveReview(deps: ReviewDeps, id: string, body: ResolveReviewBody): Promise<Resolved> {
  return lockedReview(deps, id, async () => {
    const project = await deps.store.get(id);
    if (!project) throw notFound(`project ${id} does not exist`);
    if (project.status !== 'manual-review') throw wrongState(id, project.status, 'resolved');
    checkManifest(project.language, body.files);

    const n = project.attempts.filter((a) => a.stage === 'manual').length + 1;
    const jobId = manualJobId(id, n);
    const queue = deps.manualQueue;
    // A finished job at this n recorded no attempt (else n would have moved on): a sandbox fault whose
    // request died before it removed the job. It is not this request's answer.
    const left = await queue.getJob(jobId);
    if (left && ['completed', 'failed'].includes(await left.getState())) await left.remove();
    const data = { projectId: id, n, files: body.files, ...(body.entry ? { entry: body.entry } : {}) };
    await queue.add('manual', data, { jobId });
    // The same id is a verification of attempt n already under way (a request that gave up waiting):
    // joined when it carries these files, refused when it carries others.
    const job = await queue.getJob(jobId);
    if (job && filesHash(job.data.files, job.data.entry) !== filesHash(body.files, body.entry))
      throw conflict(
        'review_in_progress',
        `another fix for project ${id} is still being verified; retry shortly`,
      );

    const waitMs = deps.env.RESOLVE_WAIT_MS + deps.env.VERIFY_TIMEOUT_MS;
    const outcome = await outcomeOf(queue, jobId, waitMs);
    if (outcome === 'waiting' || outcome === 'active') {
      // A job no worker took is withdrawn (remove answers 0 for one a worker has just locked), so
      // nothing runs after this answer; one a worker is running finishes and records its outcome. So
      // does one a worker started and died in (it waits again for the next worker): it may have recorded
      // a passing attempt already, and withdrawing it would leave that fix undelivered.
      const started = ((await queue.getJob(jobId))?.attemptsStarted ?? 0) > 0;
      const withdrawn = outcome === 'waiting' && !started && (await queue.remove(jobId).catch(() => 0)) === 1;
      throw new HttpError(
        503,
        'sandbox_unavailable',
        withdrawn
          ? `no worker took the files within ${waitMs} ms (are workers running, with a working sandbox?); the project stays in manual review`
          : `a worker is still verifying the files after ${waitMs} ms; GET /projects/${id} shows the outcome`,
      );
    }
    // The outcome is on the project now; a later request is a new attempt with its own job.
    await queue.remove(jobId).catch(() => undefined);
    deps.logger.info({ projectId: id, n, outcome: outcome.outcome }, 'review: resolve answered');
    return answer(id, project.name, outcome);
  });
}

/** How often a waiting resolve looks at its job: a person waits on a rare action, so reads are cheap. */
const POLL_MS = 100;

/**
 * The worker's answer, or where the job still is when `waitMs` ran out. Read by polling the job on
 * the API's fail-fast connection: no blocking connection to keep (QueueEvents' could not be closed
 * while Redis is down), and a Redis outage answers 503 like every other request.
 */
async function outcomeOf(
  queue: ManualQueue,
  jobId: string,
  waitMs: number,
): Promise<ManualOutcome | 'waiting' | 'active'> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    // The state first, then the job: a job read before it completes has no return value yet, and
    // once completed or failed it never changes again.
    const state = await queue.getJobState(jobId);
    if (state === 'completed' || state === 'failed' || state === 'unknown') {
      const job = await queue.getJob(jobId);
      if (job && state === 'completed') return manualOutcomeSchema.parse(job.returnvalue);
      throw new Error(`manual job ${jobId} ${job ? `failed: ${job.failedReason}` : 'is gone'}`);
    }
    if (Date.now() >= deadline) return state === 'active' ? 'active' : 'waiting';
    await setTimeout(POLL_MS);
  }
}

function answer(id: string, name: string, outcome: ManualOutcome): Resolved {
  switch (outcome.outcome) {
    case 'delivered':
      return { id, name, status: 'delivered', delivery: { path: outcome.path } };
    case 'spec-changed':
    case 'failed':
      throw new HttpError(
        422,
        outcome.outcome === 'failed' ? 'verification_failed' : 'spec_changed',
        `${outcome.error.type}: ${outcome.error.message}`,
        outcome.error,
      );
    case 'sandbox-fault':
      throw new HttpError(
        503,
        'sandbox_unavailable',
        `the sandbox could not run the code: ${outcome.message}; the project stays in manual review`,
      );
    case 'skipped':
      throw wrongState(id, outcome.status, 'resolved');
  }
}
