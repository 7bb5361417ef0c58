import {
  type Attempt,
  type CodeBlock,
  describeTestFileChanges,
  evidenceOf,
  type Failure,
  type FixSource,
  type Project,
  type ProjectFile,
  type ProjectFilesRecord,
  REFUSED_UNRUN,
  type Stage,
  type StrategyTier,
  type TestCounts,
  testFileChanges,
  testFilesOf,
  type VerificationSummary,
} from '@hardfix/contracts';
import {
  assertLease,
  errorSignature,
  faultPoint,
  filesHash,
  isFinal,
  moveProject,
  moveTo,
  type StateEvent,
  signatureInputOf,
} from '@hardfix/core';
import { LlmInvalidAnswerError } from '@hardfix/llm';
import { summariseVerification, type VerifyResult } from '@hardfix/sandbox';
import { deliver } from './deliver-project.js';
import { prepareDependencies } from './dependencies.js';
import type { StageDeps } from './deps.js';
import { libraryPicks, recordLibrarySuccess } from './library.js';
import { gotFurther, progressOf } from './progress.js';

/** What one attempt proposes: a whole project's files, and where they came from. */
export interface Candidate {
  files: ProjectFile[];
  entry?: string;
  fixSource?: FixSource;
  /** Hard fix: the line range replaced and the code put there. */
  patch?: CodeBlock;
  /** Hard fix: the failure this candidate set out to fix. */
  target?: Failure;
  /** Hard fix: the library key of that failure. */
  fixSignature?: string;
  /** The library fix applied, when fixSource is 'library'. */
  fixId?: string;
  /** Hard fix: requirement lines it added to the manifest (replace_block `dependencies`). */
  dependencies?: string[];
}

/** A candidate that is refused without running it (it repeats an earlier one); counts as a failed attempt. */
export class CandidateRejectedError extends Error {
  readonly code = 'candidate_rejected';
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'CandidateRejectedError';
  }
}

export interface AttemptSpec {
  stage: Stage;
  n: number;
  strategy?: StrategyTier;
  /**
   * Generation and import write the spec: their candidate's test files become the project's. Every
   * other candidate (smart retry, hard fix, library) must leave the current test files byte-identical,
   * or it is refused unrun as a failed attempt.
   */
  writesSpec?: boolean;
  /**
   * The candidate comes with the job (a reviewer's files) instead of being produced: it is never read
   * back from an earlier run of this n (a sandbox fault there may have left another submission), and
   * when it fails the project's files stay what the pipeline left, so a retry and the library still
   * work from the pipeline's failure; the attempt keeps the submission.
   */
  given?: boolean;
  /** Asks for the candidate (usually one LLM call). Its answer is stored, so a re-run never asks twice. */
  produce: (project: Project) => Promise<Candidate>;
  /** Before delivery, after the candidate verified (e.g. save the fix). Must be idempotent. */
  onSuccess?: (project: Project, candidate: Candidate) => Promise<void>;
  /**
   * Consult the proven-fix library as soon as this attempt's candidate fails, before any hand-off, so a
   * known mistake costs no further LLM call. (Hard fix consults it as its own first step instead.)
   */
  libraryFirst?: boolean;
  /**
   * What a candidate that ran and failed leaves as the project's files. `keep` (the default): its files
   * become the project's, the next attempt's starting point. `keep-if-further` (hard fix): only when it
   * got further than the files it patched (progress.ts); otherwise it is reverted, so the next attempt
   * patches the same base and shows the same original block. A `given` candidate is never kept.
   */
  failedFiles?: 'keep' | 'keep-if-further';
  /** The hand-off after a failure: the next attempt, the next stage or manual review. Must be idempotent. */
  onFailure: (project: Project, candidate: Candidate | undefined) => Promise<void>;
}

export type AttemptOutcome = 'delivered' | 'failed' | 'skipped';

/**
 * Runs attempt n of a stage so that running it twice is harmless: an attempt already recorded is not
 * run again (only its hooks and hand-off are repeated, and those are idempotent), and the candidate is
 * stored before it is verified, so a crash in between does not pay for the model's answer twice.
 */
export async function runAttempt(
  deps: StageDeps,
  /** As the stage job read it (once, at its start); passed on from write to write from here. */
  read: Project,
  spec: AttemptSpec,
): Promise<AttemptOutcome> {
  const { store } = deps;
  let project = read;
  const projectId = project.id;
  const log = deps.logger.child({ projectId, name: project.name, stage: spec.stage, n: spec.n });
  const step = `${spec.stage}:${spec.n}`;

  if (isFinal(project.status)) return 'skipped';
  const recorded = findAttempt(project, spec.stage, spec.n);
  if (recorded) {
    const saved = await store.getAttemptFiles(projectId, spec.stage, spec.n);
    const candidate = saved ? fromRecord(saved, recorded) : undefined;
    if (recorded.outcome === 'failed') {
      await fenced(deps, () => spec.onFailure(project, candidate));
      return 'failed';
    }
    if (candidate) await fenced(deps, () => spec.onSuccess?.(project, candidate));
    // The verified files were stored with their passing verdict in one write; delivery checks that.
    await deliver(deps, project);
    return 'delivered';
  }
  // A reviewer may have moved the project on (resolved, abandoned, another round) while this job waited.
  if (project.stage !== spec.stage) return 'skipped';

  // A parked reason stays while this re-check runs: it is cleared only once the attempt gets somewhere
  // (a candidate in hand), so a reader never sees a project that is still waiting without its reason.
  const started: StateEvent = { type: 'attempt-started', stage: spec.stage, n: spec.n };
  if (moveTo(project, started)) ({ project } = await moveProject(store, project, started));

  let candidate: Candidate;
  const saved = spec.given ? undefined : await store.getAttemptFiles(projectId, spec.stage, spec.n);
  if (saved) {
    candidate = fromRecord(saved);
  } else {
    try {
      candidate = await spec.produce(project);
      await faultPoint('llm-call', step);
    } catch (err) {
      const rejected =
        err instanceof LlmInvalidAnswerError
          ? { type: REFUSED_UNRUN.invalidAnswer, message: err.message }
          : err instanceof CandidateRejectedError
            ? { type: err.type, message: err.message }
            : undefined;
      if (!rejected) throw err;
      log.warn({ reason: rejected }, 'candidate refused; counted as a failed attempt');
      project = await recordAttempt(deps, project, spec, { outcome: 'failed', failure: rejected });
      await fenced(deps, () => spec.onFailure(project, undefined));
      return 'failed';
    }
    await store.setAttemptFiles(projectId, spec.stage, spec.n, toRecord(candidate));
  }
  await faultPoint('answer-stored', step);
  if (project.parked)
    project = await store.update(project, (p) => (p.parked ? { ...p, parked: undefined } : undefined));

  const violation = spec.writesSpec ? undefined : await specViolation(deps, project, candidate.files);
  if (violation) {
    log.warn({ reason: violation }, 'candidate changes the tests; refused unrun as a failed attempt');
    project = await recordAttempt(deps, project, spec, { outcome: 'failed', failure: violation, candidate });
    await fenced(deps, () => spec.onFailure(project, candidate));
    return 'failed';
  }

  const entry = candidate.entry ?? project.entry;
  const result = await verify(deps, project, candidate.files, entry, step);
  const verification = summariseVerification(result);

  if (result.ok) {
    await faultPoint('after-verify', step);
    await store.setFiles(projectId, {
      files: candidate.files,
      ...(entry ? { entry } : {}),
      lastVerification: verification,
    });
    project = await recordAttempt(deps, project, spec, {
      outcome: 'passed',
      candidate,
      ...(result.tests ? { tests: result.tests } : {}),
    });
    log.info({ durationMs: result.durationMs, fixSource: candidate.fixSource }, 'verified');
    await fenced(deps, () => spec.onSuccess?.(project, candidate));
    await deliver(deps, project, filesHash(candidate.files, entry));
    return 'delivered';
  }

  const failure = toFailure(result);
  if (spec.libraryFirst && (await repairFromLibrary(deps, project, spec, candidate.files, entry, failure))) {
    return 'delivered';
  }
  const kept = !spec.given && (await keepFailed(deps, project, spec, candidate, failure, verification));
  // Kept with the attempt too: the analysis and hard-fix prompts show each attempt's code with its output.
  await store.setAttemptFiles(projectId, spec.stage, spec.n, {
    ...toRecord(candidate),
    lastFailure: failure,
    lastVerification: verification,
    ...(spec.failedFiles === 'keep-if-further' ? { kept } : {}),
  });
  if (kept)
    await store.setFiles(projectId, {
      files: candidate.files,
      ...(entry ? { entry } : {}),
      lastFailure: failure,
      lastVerification: verification,
    });
  project = await recordAttempt(deps, project, spec, {
    outcome: 'failed',
    failure,
    candidate,
    ...(result.tests ? { tests: result.tests } : {}),
  });
  log.info({ error: `${failure.type}: ${failure.message}` }, 'verification failed');
  await faultPoint('before-hand-off', step);
  await fenced(deps, () => spec.onFailure(project, candidate));
  return 'failed';
}

/**
 * Whether a candidate that failed becomes the project's files (see AttemptSpec.failedFiles). When they
 * already are (it changed nothing, or a re-run after a crash finds it kept), keeping is a no-op: the
 * answer is what this attempt's record said, so an unchanged block is not reported as progress.
 */
async function keepFailed(
  deps: StageDeps,
  project: Project,
  spec: AttemptSpec,
  candidate: Candidate,
  failure: Failure,
  verification: VerificationSummary,
): Promise<boolean> {
  if ((spec.failedFiles ?? 'keep') === 'keep') return true;
  const base = await deps.store.getFiles(project.id);
  const entry = candidate.entry ?? project.entry;
  if (filesHash(base.files, base.entry ?? project.entry) === filesHash(candidate.files, entry))
    return (await deps.store.getAttemptFiles(project.id, spec.stage, spec.n))?.kept === true;
  return gotFurther(progressOf(failure, verification), progressOf(base.lastFailure, base.lastVerification));
}

/**
 * Tries the library's fixes for this failure, each verified; the first that works becomes this attempt's
 * result (passed, fixSource 'library', with the error it repaired) and the project is delivered. A fix
 * that does not verify is counted against it.
 */
async function repairFromLibrary(
  deps: StageDeps,
  project: Project,
  spec: AttemptSpec,
  files: ProjectFile[],
  entry: string | undefined,
  failure: Failure,
): Promise<boolean> {
  const useId = `${project.id}:${spec.stage}:${spec.n}`;
  // A fix is counted against only when every way of applying it failed here (see libraryPicks).
  let failed: string | undefined;
  for await (const pick of libraryPicks(deps, project, files, failure, entry)) {
    if (failed && failed !== pick.fix.fix_id)
      await fenced(deps, () => deps.library.recordFailure(failed as string, useId));
    failed = undefined;
    const result = await verify(deps, project, pick.files, entry, `${spec.stage}:${spec.n}`);
    if (!result.ok) {
      failed = pick.fix.fix_id;
      continue;
    }
    deps.logger.info(
      { projectId: project.id, fixId: pick.fix.fix_id, via: pick.via },
      'repaired from the library',
    );
    await fenced(deps, () =>
      recordLibrarySuccess(
        deps,
        project,
        { fixId: pick.fix.fix_id, failure, block: pick.block, code: pick.code },
        1,
        evidenceOf(result.tests),
      ),
    );
    await deps.store.setFiles(project.id, {
      files: pick.files,
      ...(entry ? { entry } : {}),
      lastVerification: summariseVerification(result),
    });
    const fixSignature = errorSignature(signatureInputOf(project.language, failure));
    const repaired = await recordAttempt(deps, project, spec, {
      outcome: 'passed',
      failure,
      ...(result.tests ? { tests: result.tests } : {}),
      candidate: { files: pick.files, fixSource: 'library', fixId: pick.fix.fix_id, fixSignature },
    });
    await deliver(deps, repaired, filesHash(pick.files, entry));
    return true;
  }
  if (failed) await fenced(deps, () => deps.library.recordFailure(failed as string, useId));
  return false;
}

/**
 * Runs a hook (saving a fix, counting a failure against one, a hand-off) after checking the lease, so a
 * runner that lost its job stops before it starts. Each store and library write inside re-checks the
 * fence in its own Lua script; what cannot (adding the next stage job: a BullMQ script) is idempotent by
 * its job id, so the new owner repeating it in the moment between check and write is harmless.
 */
async function fenced<T>(deps: StageDeps, hook: () => Promise<T> | undefined): Promise<T | undefined> {
  await assertLease(deps.redis);
  return hook();
}

/**
 * Tests are the spec: a candidate that adds, changes or deletes a test file of the project's current
 * files is refused. The current files only ever change through candidates that passed this check, so
 * they carry the test files generation (or the import) wrote, byte for byte.
 */
async function specViolation(
  deps: StageDeps,
  project: Project,
  files: ProjectFile[],
): Promise<Pick<Failure, 'type' | 'message'> | undefined> {
  const current = await deps.store.getFiles(project.id);
  const changed = describeTestFileChanges(testFileChanges(project.language, current.files, files));
  return changed
    ? {
        type: REFUSED_UNRUN.specChanged,
        message: `the candidate ${changed}; tests are the spec and may not change`,
      }
    : undefined;
}

/** One sandboxed run of a candidate, timed for /metrics. */
async function verify(
  deps: StageDeps,
  project: Project,
  files: ProjectFile[],
  entry: string | undefined,
  /** Where in the flow (for the fault suite's kill points). */
  step: string,
): Promise<VerifyResult> {
  const { mount, failed } = await prepareDependencies(deps, project, files);
  if (failed) return failed;
  const running = deps.sandbox.verify({
    language: project.language,
    files,
    ...(entry ? { entry } : {}),
    timeoutMs: deps.env.VERIFY_TIMEOUT_MS,
    ...(mount ? { dependencies: mount } : {}),
  });
  await faultPoint('verify', step);
  const result = await running;
  await deps.metrics.verification.record(
    { language: project.language, outcome: result.ok ? 'passed' : 'failed' },
    result.durationMs / 1000,
  );
  return result;
}

function findAttempt(project: Project, stage: Stage, n: number): Attempt | undefined {
  return project.attempts.find((a) => a.stage === stage && a.n === n);
}

function toRecord(candidate: Candidate): ProjectFilesRecord {
  return {
    files: candidate.files,
    ...(candidate.entry ? { entry: candidate.entry } : {}),
    ...(candidate.patch ? { patch: candidate.patch } : {}),
    ...(candidate.target ? { target: candidate.target } : {}),
    ...(candidate.dependencies ? { dependencies: candidate.dependencies } : {}),
  };
}

function fromRecord(record: ProjectFilesRecord, attempt?: Attempt): Candidate {
  return {
    files: record.files,
    ...(record.entry ? { entry: record.entry } : {}),
    ...(record.patch ? { patch: record.patch } : {}),
    ...(record.target ? { target: record.target } : {}),
    ...(record.dependencies ? { dependencies: record.dependencies } : {}),
    ...(attempt?.fixSource ? { fixSource: attempt.fixSource } : {}),
    ...(attempt?.fixSignature ? { fixSignature: attempt.fixSignature } : {}),
    ...(attempt?.fixId ? { fixId: attempt.fixId } : {}),
  };
}

interface AttemptResult {
  outcome: Attempt['outcome'];
  failure?: Pick<Failure, 'type' | 'message' | 'line' | 'block'>;
  candidate?: Candidate;
  tests?: TestCounts;
}

async function recordAttempt(
  deps: StageDeps,
  project: Project,
  spec: AttemptSpec,
  { outcome, failure, candidate, tests }: AttemptResult,
): Promise<Project> {
  const attempt: Attempt = {
    n: spec.n,
    stage: spec.stage,
    outcome,
    at: new Date().toISOString(),
    ...(spec.strategy ? { strategy: spec.strategy } : {}),
    ...(candidate?.fixSource ? { fixSource: candidate.fixSource } : {}),
    ...(candidate?.fixSignature ? { fixSignature: candidate.fixSignature } : {}),
    ...(candidate?.fixId ? { fixId: candidate.fixId } : {}),
    ...(tests ? { tests } : {}),
    ...(failure
      ? {
          error: {
            type: failure.type,
            message: failure.message,
            signature: errorSignature(signatureInputOf(project.language, failure)),
          },
        }
      : {}),
  };
  // The spec's test files as this attempt wrote them (the view's `tests`; "none" when empty).
  const testFiles =
    spec.writesSpec && candidate
      ? { testFiles: testFilesOf(project.language, candidate.files).map((f) => f.path) }
      : {};
  return deps.store.update(project, (p) =>
    findAttempt(p, spec.stage, spec.n)
      ? undefined
      : { ...p, attempts: [...p.attempts, attempt], ...testFiles },
  );
}

const OUTPUT_TAIL_CHARS = 4_000;

/** The failure as stored: the extracted error, the step that failed, and the tail of its output. */
function toFailure(result: VerifyResult): Failure {
  const last = result.steps[result.steps.length - 1];
  const failed = result.steps.find((s) => s.exitCode !== 0 || s.timedOut || s.outputLimitExceeded);
  const output = last ? `${last.stdout}\n${last.stderr}`.trim().slice(-OUTPUT_TAIL_CHARS) : '';
  const error = result.error ?? { type: 'VerificationFailed', message: 'the project did not verify' };
  return {
    type: error.type,
    message: error.message,
    ...(error.file ? { file: error.file } : {}),
    ...(error.line ? { line: error.line } : {}),
    ...(error.block ? { block: error.block } : {}),
    ...(error.test ? { test: error.test } : {}),
    ...(failed ? { phase: failed.phase } : {}),
    ...(output ? { output } : {}),
  };
}
