import {
  type Failure,
  lastPipelineError,
  type ManualJob,
  type ManualOutcome,
  type Project,
  type ProjectFile,
  REFUSED_UNRUN,
} from '@hardfix/contracts';
import { errorSignature, signatureInputOf } from '@hardfix/core';
import { SandboxFault } from '@hardfix/sandbox';
import { type AttemptResult, type Candidate, openAttempt, runAttempt } from '../attempt.js';
import type { StageDeps } from '../deps.js';
import { ensureOrigin, saveFixUnderOrigin } from '../fix-origin.js';
import { handOff } from '../hand-off.js';

/**
 * A reviewer's fix (POST /review/:id/resolve, which waits for this job's answer): attempt n of the
 * `manual` stage, run like every other attempt. Files that work become the project's, are saved to the
 * library under the failure the pipeline could not fix, and are delivered; files that fail are only
 * recorded (a failed manual attempt, so the next reviewer sees what was tried) and the project stays
 * in manual review. A sandbox fault records nothing: the reviewer is told to try again.
 */
export function createManualStage(deps: StageDeps) {
  return async ({ projectId, n, files, entry }: ManualJob): Promise<ManualOutcome> => {
    try {
      const open = await openAttempt(deps, await deps.store.mustGet(projectId), { stage: 'manual', n });
      const result =
        open.ended ??
        (await runAttempt(
          deps,
          open,
          open.candidate ?? (await reviewersCandidate(deps, open.project, files, entry)),
        ));
      if (result.outcome === 'passed' && result.candidate)
        await saveFixUnderOrigin(deps, result.project, result.candidate, { source: 'manual' });
      // Delivers files that work; after a failure a person decides what comes next.
      const handed = await handOff(deps, result);
      return answer(result, handed.project);
    } catch (err) {
      if (err instanceof SandboxFault) {
        deps.logger.warn({ projectId, n, err: err.message }, 'manual attempt: sandbox fault');
        return { outcome: 'sandbox-fault', message: err.message };
      }
      throw err;
    }
  };
}

/**
 * The submitted files, with what the fix is saved under: the failure hard fix started from (recorded
 * now if no round did, from the files and failure the pipeline left) — that is the mistake the next
 * project will make.
 */
async function reviewersCandidate(
  deps: StageDeps,
  project: Project,
  files: ProjectFile[],
  entry: string | undefined,
): Promise<Candidate> {
  const current = await deps.store.getFiles(project.id);
  const pipelineError = lastPipelineError(project);
  const failure: Failure | undefined =
    current.lastFailure ??
    current.target ??
    (pipelineError ? { type: pipelineError.type, message: pipelineError.message } : undefined);
  if (failure) await ensureOrigin(deps, project, { files: current.files, failure });
  const origin = await deps.store.getHardFixOrigin(project.id);
  const target = origin?.failure ?? failure;
  const chosen = entryFor(files, entry, current.entry ?? project.entry);
  return {
    files,
    fixSource: 'manual',
    ...(chosen ? { entry: chosen } : {}),
    ...(target ? { target, fixSignature: errorSignature(signatureInputOf(project.language, target)) } : {}),
  };
}

/** The submitted entry, else the project's if the files still have it (else the verifier's default). */
function entryFor(
  files: ProjectFile[],
  submitted: string | undefined,
  previous: string | undefined,
): string | undefined {
  if (submitted) return submitted;
  return previous && files.some((f) => f.path === previous) ? previous : undefined;
}

/** The reviewer's answer, from the attempt's result and the project as the hand-off left it. */
function answer(result: AttemptResult, project: Project): ManualOutcome {
  if (result.outcome === 'passed' && project.delivery)
    return { outcome: 'delivered', path: project.delivery.path };
  const { failure } = result;
  if (result.outcome !== 'failed' || !failure) return { outcome: 'skipped', status: project.status };
  const { type, message } = failure;
  if (type === REFUSED_UNRUN.specChanged) return { outcome: 'spec-changed', error: { type, message } };
  return { outcome: 'failed', error: failure };
}
