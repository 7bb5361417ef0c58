import { isTestFile, type Project, QUEUES, REFUSED_UNRUN, type StageJob, TOOLS } from '@hardfix/contracts';
import {
  applyBlock,
  chooseBlock,
  errorSignature,
  isFinal,
  maxAttemptsOf,
  shownHistory,
  signatureInputOf,
  tierForAttempt,
  tierRange,
} from '@hardfix/core';
import { type FailedAttempt, HARD_FIX_REASONING, hardFixPrompt } from '@hardfix/llm';
import { withRequirements } from '@hardfix/sandbox';
import {
  type Candidate,
  CandidateRejectedError,
  type JobAnswer,
  jobAnswer,
  openAttempt,
  refusal,
  runAttempt,
} from '../attempt.js';
import { dependencyPolicy } from '../dependencies.js';
import type { StageDeps } from '../deps.js';
import { ensureOrigin, saveFixUnderOrigin } from '../fix-origin.js';
import { handOff } from '../hand-off.js';
import { callLlm } from '../llm-call.js';
import { verifyImport } from './import.js';

/**
 * The persistent fix runner: one targeted attempt per job, RETRY_INTERVAL_MS apart. Each attempt takes
 * the project's files and their failure and code block; opening the attempt tries the proven-fix
 * library first (no LLM call, the flow table's `first`), and only when none is left does this ask for a
 * `replace_block` at the tier of this attempt (quarters of HARD_FIX_MAX_ATTEMPTS, core's flow table),
 * with the instruction for this kind of failure, the analysis, and every earlier candidate with what it
 * produced. The new files are verified; a fix that works is saved to the library. A candidate that fails
 * is reverted unless it got further (progress.ts), so the next attempt patches the same files and sees
 * the same original block. After the last attempt: manual review.
 */
export function createHardFixStage(deps: StageDeps) {
  return async ({ projectId, n }: StageJob): Promise<JobAnswer | 'stale'> => {
    let project = await deps.store.mustGet(projectId);
    if (project.stage === 'import') {
      const imported = await verifyImport(deps, project);
      if (imported.outcome !== 'failed') return jobAnswer(imported);
      // The hand-off started the round: read where it starts.
      project = await deps.store.mustGet(projectId);
    }
    const stale = staleReason(project, n);
    if (stale) {
      deps.logger.warn({ queue: QUEUES.hardFix, projectId, n, stale }, 'stale job dropped');
      return 'stale';
    }
    const roundAttempt = n - (project.hardFixBase ?? 0);
    const strategy = tierForAttempt(roundAttempt, maxAttemptsOf('hard-fix', deps.env));
    // What the round set out to fix, recorded before its first candidate (the library's or the model's).
    if (project.stage === 'hard-fix' && !isFinal(project.status)) await ensureOrigin(deps, project);
    const open = await openAttempt(deps, project, { stage: 'hard-fix', n, strategy });
    const result =
      open.ended ??
      (await runAttempt(
        deps,
        open,
        open.candidate ?? (await askForFix(deps, open.project, n, roundAttempt).catch(refusal)),
      ));
    const { candidate } = result;
    if (result.outcome === 'passed' && candidate)
      await saveFixUnderOrigin(deps, result.project, candidate, { source: 'llm', roundAttempt });
    if (result.outcome === 'failed' && candidate?.fixSource === 'library' && candidate.fixId)
      await deps.library.recordFailure(candidate.fixId, `${projectId}:hard-fix:${n}`);
    await handOff(deps, result, roundAttempt);
    return jobAnswer(result);
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

/** The model's candidate: a `replace_block` for the failing block, at this attempt's tier. */
async function askForFix(
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
  const entry = current.entry ?? project.entry;
  // The tier bands are quarters of the round's maximum (core's flow table), so every tier runs.
  const max = maxAttemptsOf('hard-fix', deps.env);
  const tier = tierForAttempt(roundAttempt, max);
  // Localisation hook (issue 24): the block moves along the failure's candidate list (crash, callers,
  // suspicious lines, helpers, files) as blocks fail, and widens with the tier; see core/localise.
  const chosen = chooseBlock({
    failure,
    files: current.files,
    language: project.language,
    entry,
    tier,
    history: shownHistory(project.attempts, 'hard-fix', project.hardFixBase ?? 0, n),
  });
  const block = chosen.block;
  const signature = errorSignature(signatureInputOf(project.language, failure));
  const common = { target: failure, fixSignature: signature, ...(entry ? { entry } : {}) };

  const previous = await earlierCandidates(deps, project, n);
  const file = current.files.find((f) => f.path === block.file);
  const tests = current.files.filter((f) => isTestFile(project.language, f.path));
  const otherFiles = current.files.filter(
    (f) => f.path !== block.file && !isTestFile(project.language, f.path),
  );
  const answer = await callLlm(deps, project, {
    tool: TOOLS.replaceBlock,
    reasoning: HARD_FIX_REASONING[tier],
    ...hardFixPrompt({
      name: project.name,
      language: project.language,
      request: project.prompt,
      dependencies: dependencyPolicy(deps, project.language),
      failingTest: failure.test,
      output: failure.output,
      tests,
      otherFiles,
      tier,
      tierAttempts: tierRange(tier, max),
      attemptNumber: roundAttempt,
      error: {
        type: failure.type,
        message: failure.message,
        file: failure.file ?? block.file,
        line: failure.line ?? block.startLine,
        ...(failure.phase ? { phase: failure.phase } : {}),
      },
      ...(project.analysis
        ? { analysis: { diagnosis: project.analysis.diagnosis, plan: project.analysis.plan } }
        : {}),
      block,
      blockReason: chosen.reason,
      ...(file ? { fileContent: file.content } : {}),
      previousCandidates: previous,
    }),
  });
  if (previous.some((c) => c.patch && sameCode(c.patch.code, answer.code))) {
    throw new CandidateRejectedError(
      REFUSED_UNRUN.duplicate,
      'the model proposed a candidate it had already tried',
      block,
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
