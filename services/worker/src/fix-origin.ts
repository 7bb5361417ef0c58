import { evidenceOf, type Failure, type Project, type ProjectFile } from '@hardfix/contracts';
import { assertLease, provenFixCode, STATS } from '@hardfix/core';
import type { Candidate } from './attempt.js';
import type { StageDeps } from './deps.js';
import { recordLibrarySuccess } from './library.js';

/**
 * The first hard-fix attempt records what hard fix set out to fix (see HardFixOrigin). Later review
 * rounds keep it: the mistake the next project will make is the original one, not whatever an
 * intermediate candidate left behind.
 */
export async function ensureOrigin(
  deps: StageDeps,
  project: Project,
  /** The files and failure to record; by default the project's current ones. */
  found?: { files: ProjectFile[]; failure: Failure },
): Promise<void> {
  if (await deps.store.getHardFixOrigin(project.id)) return;
  const { files, failure } = found ?? (await currentFailure(deps, project));
  await deps.store.setHardFixOrigin(project.id, { base: project.hardFixBase ?? 0, files, failure });
}

async function currentFailure(deps: StageDeps, project: Project) {
  const current = await deps.store.getFiles(project.id);
  const failure = current.lastFailure ?? {
    type: 'VerificationFailed',
    message: 'the project did not verify',
  };
  return { files: current.files, failure };
}

/** Who made a fix that verified: hard fix at attempt `roundAttempt` of its round, or a reviewer. */
export type FixAuthor = { source: 'llm'; roundAttempt: number } | { source: 'manual' };

/**
 * Saves a fix that verified to the library under the failure the hard-fix round started from (so the
 * next project with that mistake is repaired at once): the original block, and what stands in its
 * place now that the project works. Hard fix and a reviewer's resolve both save through here.
 * Idempotent per project; the /status counters (hard-fix repairs only) move in the same atomic step.
 */
export async function saveFixUnderOrigin(
  deps: StageDeps,
  project: Project,
  candidate: Candidate,
  author: FixAuthor,
): Promise<void> {
  // A runner that lost its job stops before it starts (the library's writes also check in their script).
  await assertLease(deps.redis);
  const roundAttempt = author.source === 'llm' ? author.roundAttempt : 1;
  // The verification that accepted the candidate is the project's last one (stored before this runs).
  const evidence = evidenceOf((await deps.store.getFiles(project.id)).lastVerification?.tests);
  if (candidate.fixSource === 'library' && candidate.fixId && candidate.target) {
    await recordLibrarySuccess(
      deps,
      project,
      {
        fixId: candidate.fixId,
        failure: candidate.target,
        ...(candidate.patch ? { block: candidate.patch, code: candidate.patch.code } : {}),
      },
      roundAttempt,
      evidence,
    );
    return;
  }
  const origin = await deps.store.getHardFixOrigin(project.id);
  const failure = origin?.failure ?? candidate.target;
  const fix = failure
    ? provenFixCode(
        failure,
        origin?.files ?? [],
        candidate.files,
        project.language,
        candidate.entry,
        candidate.patch,
      )
    : undefined;
  if (!fix) {
    deps.logger.warn({ projectId: project.id }, 'no failure or failing file on record: the fix is not saved');
    return;
  }
  await deps.library.saveSuccess({
    signature: fix.signature,
    errorType: fix.errorType,
    language: project.language,
    description: `Fixed ${fix.errorType} in ${project.language} (${author.source === 'llm' ? `Attempt #${roundAttempt}` : 'manual review'})`,
    workingCode: fix.workingCode,
    originalCode: fix.originalCode,
    errorMessage: fix.errorMessage,
    errorScope: fix.errorScope,
    attempts: roundAttempt,
    projectName: project.name,
    source: author.source,
    evidence,
    ...(candidate.dependencies ? { dependencies: candidate.dependencies } : {}),
    // The figures behind /status: hard-fix successes and the attempts they took.
    ...(author.source === 'llm'
      ? { counters: { [STATS.projectsRepaired]: 1, [STATS.repairAttemptSum]: roundAttempt } }
      : {}),
  });
}
