import { isTestFile, type Project, QUEUES, REFUSED_UNRUN, type StageJob, TOOLS } from '@hardfix/contracts';
import { applyBlock, blockFor, errorSignature, signatureInputOf } from '@hardfix/core';
import { type FailedAttempt, HARD_FIX_REASONING, hardFixPrompt, tierForAttempt } from '@hardfix/llm';
import { withRequirements } from '@hardfix/sandbox';
import { type AttemptOutcome, type Candidate, CandidateRejectedError, runAttempt } from '../attempt.js';
import { dependencyPolicy } from '../dependencies.js';
import type { StageDeps } from '../deps.js';
import { ensureOrigin, saveFixUnderOrigin } from '../fix-origin.js';
import { handOff } from '../hand-off.js';
import { libraryPicks } from '../library.js';
import { callLlm } from '../llm-call.js';
import { verifyImport } from './import.js';

/**
 * The persistent fix runner: one targeted attempt per job, RETRY_INTERVAL_MS apart. Each attempt takes
 * the project's files and their failure and code block, tries the proven-fix library first (no LLM
 * call), otherwise asks for a `replace_block` at the tier of this attempt (1-5 conservative … 16-20
 * nuclear), with the instruction for this kind of failure, the analysis, and every earlier candidate
 * with what it produced. The new files are verified; a fix that works is saved to the library. A
 * candidate that fails is reverted unless it got further (progress.ts), so the next attempt patches
 * the same files and sees the same original block. After the last attempt: manual review.
 */
export function createHardFixStage(deps: StageDeps) {
  return async ({ projectId, n }: StageJob): Promise<AttemptOutcome | 'stale'> => {
    let project = await deps.store.mustGet(projectId);
    if (project.stage === 'import') {
      const outcome = await verifyImport(deps, project);
      if (outcome !== 'failed') return outcome;
      // The hand-off started the round: read where it starts.
      project = await deps.store.mustGet(projectId);
    }
    const stale = staleReason(project, n);
    if (stale) {
      deps.logger.warn({ queue: QUEUES.hardFix, projectId, n, stale }, 'stale job dropped');
      return 'stale';
    }
    const roundAttempt = n - (project.hardFixBase ?? 0);
    return runAttempt(deps, project, {
      stage: 'hard-fix',
      n,
      strategy: tierForAttempt(roundAttempt),
      failedFiles: 'keep-if-further',
      produce: (p) => produceFix(deps, p, n, roundAttempt),
      onSuccess: (p, candidate) => saveFixUnderOrigin(deps, p, candidate, { source: 'llm', roundAttempt }),
      onFailure: async (p, candidate) => {
        if (candidate?.fixSource === 'library' && candidate.fixId) {
          await deps.library.recordFailure(candidate.fixId, `${p.id}:hard-fix:${n}`);
        }
        const next = await handOff(deps, p, { stage: 'hard-fix', n, roundAttempt, verified: false });
        if (next.kind === 'manual-review')
          deps.logger.warn(
            { projectId: p.id, attempts: roundAttempt },
            'hard fix exhausted: waiting for manual review',
          );
      },
    });
  };
}

/**
 * A job left over from an earlier round: its attempt number belongs to a round that ended (a
 * reviewer's retry started a new one after it). Running it would compute a nonsense attempt and park
 * a live project with a misleading reason; it is dropped instead. Undefined for a current job.
 */
function staleReason(project: Project, n: number): string | undefined {
  if (project.stage !== 'hard-fix') return undefined;
  const base = project.hardFixBase ?? 0;
  return n <= base
    ? `hard-fix attempt ${n} belongs to an earlier round (this round starts after ${base})`
    : undefined;
}

async function produceFix(
  deps: StageDeps,
  project: Project,
  n: number,
  roundAttempt: number,
): Promise<Candidate> {
  const current = await deps.store.getFiles(project.id);
  const failure = current.lastFailure ?? {
    type: 'VerificationFailed',
    message: 'the project did not verify',
  };
  await ensureOrigin(deps, project, current.files, failure);
  const entry = current.entry ?? project.entry;
  const block = blockFor(failure, current.files, project.language, entry);
  const signature = errorSignature(signatureInputOf(project.language, failure));
  const common = { target: failure, fixSignature: signature, ...(entry ? { entry } : {}) };

  // The library first: a proven fix this project has not tried yet costs no LLM call.
  for await (const pick of libraryPicks(deps, project, current.files, failure, entry)) {
    deps.logger.info(
      { projectId: project.id, fixId: pick.fix.fix_id, via: pick.via },
      'trying a proven fix from the library',
    );
    return {
      ...common,
      files: pick.files,
      patch: { ...pick.block, code: pick.code },
      fixSource: 'library',
      fixId: pick.fix.fix_id,
    };
  }

  const previous = await earlierCandidates(deps, project, n);
  const file = current.files.find((f) => f.path === block.file);
  const tests = current.files.filter((f) => isTestFile(project.language, f.path));
  const otherFiles = current.files.filter(
    (f) => f.path !== block.file && !isTestFile(project.language, f.path),
  );
  const answer = await callLlm(deps, project, {
    tool: TOOLS.replaceBlock,
    reasoning: HARD_FIX_REASONING[tierForAttempt(roundAttempt)],
    ...hardFixPrompt({
      name: project.name,
      language: project.language,
      request: project.prompt,
      dependencies: dependencyPolicy(deps),
      failingTest: failure.test,
      output: failure.output,
      tests,
      otherFiles,
      tier: tierForAttempt(roundAttempt),
      attemptNumber: roundAttempt,
      error: {
        type: failure.type,
        message: failure.message,
        file: block.file,
        line: failure.line ?? block.startLine,
        ...(failure.phase ? { phase: failure.phase } : {}),
      },
      ...(project.analysis
        ? { analysis: { diagnosis: project.analysis.diagnosis, plan: project.analysis.plan } }
        : {}),
      block,
      ...(file ? { fileContent: file.content } : {}),
      previousCandidates: previous,
    }),
  });
  if (previous.some((c) => c.patch && sameCode(c.patch.code, answer.code))) {
    throw new CandidateRejectedError(
      REFUSED_UNRUN.duplicate,
      'the model proposed a candidate it had already tried',
    );
  }
  const declared = answer.dependencies ?? [];
  return {
    ...common,
    files: withRequirements(project.language, applyBlock(current.files, block, answer.code), declared),
    patch: { ...block, code: answer.code },
    ...(declared.length > 0 ? { dependencies: declared } : {}),
    fixSource: 'llm',
  };
}

/**
 * Every candidate tried on this project so far and what it produced (the error, failing test, test
 * counts and output stored with its attempt), so the model is shown each one and told not to repeat it.
 * Candidates refused before they had code (an invalid answer, a duplicate) have nothing to show.
 */
async function earlierCandidates(deps: StageDeps, project: Project, n: number): Promise<FailedAttempt[]> {
  const earlier = project.attempts.filter((a) => a.stage === 'hard-fix' && a.n < n && a.outcome === 'failed');
  const records = await Promise.all(
    earlier.map((a) => deps.store.getAttemptFiles(project.id, 'hard-fix', a.n)),
  );
  return earlier.flatMap((attempt, i) => {
    const record = records[i];
    if (!record?.patch) return [];
    const failure = record.lastFailure;
    return [
      {
        n: attempt.n,
        files: [],
        patch: record.patch,
        error: {
          type: failure?.type ?? attempt.error?.type ?? 'Unknown',
          message: failure?.message ?? attempt.error?.message ?? '',
          ...(failure?.file ? { file: failure.file } : {}),
          ...(failure?.line ? { line: failure.line } : {}),
        },
        ...(failure?.test ? { test: failure.test } : {}),
        ...(failure?.output ? { output: failure.output } : {}),
        ...(attempt.tests ? { tests: attempt.tests } : {}),
        ...(record.kept === undefined ? {} : { kept: record.kept }),
      },
    ];
  });
}

function sameCode(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+$/gm, '').trim();
  return norm(a) === norm(b);
}
