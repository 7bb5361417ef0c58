import {
  type Attempt,
  describeTestFileChanges,
  evidenceOf,
  type Failure,
  type Project,
  type ProjectFile,
  type ResolveReviewBody,
  type TestCounts,
  testFileChanges,
} from '@hardfix/contracts';
import {
  deliverVerified,
  errorSignature,
  type ProjectStore,
  provenFixCode,
  signatureInputOf,
} from '@hardfix/core';
import { summariseVerification } from '@hardfix/sandbox';
import { HttpError, notFound, wrongState } from '../../errors/http-error.js';
import { lastPipelineError } from './list-review.js';
import { lockedReview, type ReviewDeps } from './review-deps.js';

export interface Resolved {
  id: string;
  name: string;
  status: 'delivered';
  delivery: { path: string };
}

/**
 * A reviewer's fix: run in the sandbox like any other candidate. Files that fail change nothing but
 * the history (a failed `manual` attempt, so the next reviewer sees what was tried) and answer 422.
 * Files that work become the project's files, are saved to the library under the failure the
 * pipeline could not fix, and are delivered.
 */
export function resolveReview(deps: ReviewDeps, id: string, body: ResolveReviewBody): Promise<Resolved> {
  return lockedReview(deps, id, async () => {
    const project = await deps.store.get(id);
    if (!project) throw notFound(`project ${id} does not exist`);
    if (project.status !== 'manual-review') throw wrongState(id, project.status, 'resolved');

    const current = await deps.store.getFiles(id);
    // Tests are the spec, for reviewers too: a fix that edits, adds or deletes a test file is refused.
    const changed = describeTestFileChanges(testFileChanges(project.language, current.files, body.files));
    if (changed) {
      const error = {
        type: 'SpecChanged',
        message: `the files ${changed}; tests are the spec and may not change`,
      };
      await recordManualAttempt(deps.store, project, 'failed', error);
      throw new HttpError(422, 'spec_changed', `${error.type}: ${error.message}`, error);
    }
    const entry = entryFor(body, current.entry ?? project.entry);
    const result = await deps.sandbox.verify({
      language: project.language,
      files: body.files,
      ...(entry ? { entry } : {}),
      timeoutMs: deps.env.VERIFY_TIMEOUT_MS,
    });
    const verification = summariseVerification(result);
    const record = { files: body.files, ...(entry ? { entry } : {}), lastVerification: verification };

    if (!result.ok) {
      const error = result.error ?? { type: 'VerificationFailed', message: 'the files did not verify' };
      const n = await recordManualAttempt(deps.store, project, 'failed', error);
      if (n !== undefined)
        await deps.store.setAttemptFiles(id, 'manual', n, { ...record, lastFailure: error });
      throw new HttpError(422, 'verification_failed', `${error.type}: ${error.message}`, {
        type: error.type,
        message: error.message,
        ...(error.file ? { file: error.file } : {}),
        ...(error.line ? { line: error.line } : {}),
      });
    }

    // Read before setFiles replaces it: the failure is the library key. Kept as the files' `target`
    // so a resolve repeated after a crash past this point still knows it.
    // The failure hard fix started from is what the next project will hit, and its files are what the
    // reviewer's fix is a change from; a project that never went through hard fix: the last failure.
    const origin = await deps.store.getHardFixOrigin(id);
    const target = origin?.failure ?? failureToFix(project, current);
    await deps.store.setFiles(id, { ...record, ...(target ? { target } : {}) });
    const n = await recordManualAttempt(deps.store, project, 'passed');
    if (n === undefined) throw wrongState(id, (await deps.store.mustGet(id)).status, 'resolved');
    await deps.store.setAttemptFiles(id, 'manual', n, record);
    if (target)
      await saveManualFix(
        deps,
        project,
        target,
        origin?.files ?? current.files,
        body.files,
        entry,
        result.tests,
      );
    else
      deps.logger.warn(
        { projectId: id },
        'review: no failure on record; the fix is not saved to the library',
      );

    const delivered = await deliverVerified(
      deps.store,
      deps.env.DELIVERY_DIR,
      await deps.store.mustGet(id),
      deps.logger,
    );
    if (!delivered.delivery) throw new Error(`project ${id} was not delivered`);
    deps.logger.info({ projectId: id, path: delivered.delivery.path }, 'review: resolved by hand');
    return { id, name: project.name, status: 'delivered', delivery: { path: delivered.delivery.path } };
  });
}

/** The submitted entry, else the project's if the submitted files still have it (else the language default). */
function entryFor(body: ResolveReviewBody, previous: string | undefined): string | undefined {
  if (body.entry) return body.entry;
  return previous && body.files.some((f) => f.path === previous) ? previous : undefined;
}

/**
 * Appends a `manual` attempt (n counts this project's manual attempts) if the project is still in
 * review, checked inside the compare-and-set. Returns its n, or undefined when the project moved on.
 */
async function recordManualAttempt(
  store: ProjectStore,
  project: Project,
  outcome: Attempt['outcome'],
  error?: Pick<Failure, 'type' | 'message' | 'line' | 'block'>,
): Promise<number | undefined> {
  let n: number | undefined;
  await store.update(project.id, (p) => {
    n = undefined;
    if (p.status !== 'manual-review') return undefined;
    n = p.attempts.filter((a) => a.stage === 'manual').length + 1;
    const attempt: Attempt = {
      n,
      stage: 'manual',
      outcome,
      fixSource: 'manual',
      at: new Date().toISOString(),
      ...(error
        ? {
            error: {
              type: error.type,
              message: error.message,
              signature: errorSignature(signatureInputOf(p.language, error)),
            },
          }
        : {}),
    };
    return { ...p, attempts: [...p.attempts, attempt] };
  });
  return n;
}

/** The failure the pipeline gave up on: the last verification's, else the last pipeline attempt's error. */
function failureToFix(
  project: Project,
  current: { lastFailure?: Failure | undefined; target?: Failure | undefined },
): Failure | undefined {
  if (current.lastFailure) return current.lastFailure;
  if (current.target) return current.target;
  const error = lastPipelineError(project);
  return error ? { type: error.type, message: error.message } : undefined;
}

async function saveManualFix(
  deps: ReviewDeps,
  project: Project,
  failure: Failure,
  before: ProjectFile[],
  after: ProjectFile[],
  entry: string | undefined,
  tests: TestCounts | undefined,
): Promise<void> {
  const fix = provenFixCode(failure, before, after, project.language, entry);
  if (!fix) {
    deps.logger.warn({ projectId: project.id }, 'review: the failing file is gone; the fix is not saved');
    return;
  }
  await deps.library.saveSuccess({
    signature: fix.signature,
    errorType: fix.errorType,
    language: project.language,
    description: `Fixed ${fix.errorType} in ${project.language} (manual review)`,
    workingCode: fix.workingCode,
    originalCode: fix.originalCode,
    errorMessage: fix.errorMessage,
    errorScope: fix.errorScope,
    attempts: 1,
    projectName: project.name,
    source: 'manual',
    evidence: evidenceOf(tests),
  });
}
