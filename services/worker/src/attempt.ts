import {
  type Attempt,
  type CodeBlock,
  describeTestFileChanges,
  type Failure,
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
  errorSignature,
  FLOW,
  faultPoint,
  filesHash,
  isFinal,
  moveProject,
  moveTo,
  type StateEvent,
  signatureInputOf,
} from '@hardfix/core';
import { summariseVerification, type VerifyResult } from '@hardfix/sandbox';
import type { Candidate, Refusal } from './candidate.js';
import type { StageDeps } from './deps.js';
import { libraryCandidate, repairFromLibrary } from './library.js';
import { gotFurther, progressOf } from './progress.js';
import { verify } from './verify-candidate.js';

export { type Candidate, CandidateRejectedError, type Refusal, refusal } from './candidate.js';

/** Which attempt: stage and number, and for hard fix its tier. */
export interface AttemptAt {
  stage: Stage;
  n: number;
  strategy?: StrategyTier;
}

/**
 * What an attempt came to, for the caller to hand to one `handOff`: `passed` (its files verified and are
 * the project's), `failed` (recorded; the failure it produced or why it was refused unrun) or `skipped`
 * (nothing to do: the project is final or has moved to another stage). `project`: the record as the
 * attempt last wrote it; `filesHash`: of the files that verified, so delivery checks they are the ones.
 */
export interface AttemptResult extends AttemptAt {
  outcome: 'passed' | 'failed' | 'skipped';
  project: Project;
  failure?: Pick<Failure, 'type' | 'message' | 'file' | 'line'>;
  candidate?: Candidate;
  tests?: TestCounts;
  filesHash?: string;
}

/**
 * An attempt as `openAttempt` leaves it. `ended`: nothing to run (the result recorded by an earlier run
 * of this job, or skipped). Otherwise `candidate` is what is already at hand — the answer an earlier run
 * stored (`stored`), or the library's proven fix — and only when it is unset does the stage ask its own
 * source (the model, a reviewer's files) before `runAttempt`.
 */
export interface OpenAttempt {
  at: AttemptAt;
  /** The record as the attempt last wrote it; the stage's source reads this one. */
  project: Project;
  ended?: AttemptResult;
  candidate?: Candidate;
  stored: boolean;
}

/** What a stage job returns (BullMQ keeps it): what its attempt came to. */
export type JobAnswer = 'delivered' | 'failed' | 'skipped';

export function jobAnswer(result: AttemptResult): JobAnswer {
  return result.outcome === 'passed' ? 'delivered' : result.outcome;
}

/**
 * Attempt n of a stage is made so that running it twice is harmless: `openAttempt` finds an attempt
 * already recorded (its result is read back, and what the caller does with it is idempotent) or the
 * answer an earlier run stored, so a crash between the model's answer and its verification does not pay
 * for it twice; `runAttempt` stores a new candidate before it verifies it. How the stage treats the
 * spec, the library and a failed candidate's files is its row of the flow table (core's flow.ts). Every
 * write goes from here to the store (fenced in its Lua script); the stage only reads and asks.
 */
export async function openAttempt(
  deps: StageDeps,
  /** As the stage job read it (once, at its start); passed on from write to write from here. */
  read: Project,
  at: AttemptAt,
): Promise<OpenAttempt> {
  const { store } = deps;
  const flow = FLOW[at.stage];
  let project = read;
  const projectId = project.id;
  const ended = (outcome: AttemptResult['outcome'], more: Partial<AttemptResult> = {}): OpenAttempt => ({
    at,
    project,
    stored: false,
    ended: { ...at, outcome, project, ...more },
  });

  if (isFinal(project.status)) return ended('skipped');
  const recorded = findAttempt(project, at.stage, at.n);
  if (recorded) {
    const saved = await store.getAttemptFiles(projectId, at.stage, at.n);
    const candidate = saved ? fromRecord(saved, recorded) : undefined;
    const failure = saved?.lastFailure ?? recorded.error;
    return ended(recorded.outcome, {
      ...(candidate ? { candidate } : {}),
      ...(recorded.outcome === 'failed' && failure ? { failure: failureOf(failure) } : {}),
      ...(recorded.tests ? { tests: recorded.tests } : {}),
    });
  }
  // A reviewer may have moved the project on (resolved, abandoned, another round) while this job waited.
  if (project.stage !== at.stage) return ended('skipped');

  // A parked reason stays while this re-check runs: it is cleared only once the attempt gets somewhere
  // (a candidate in hand), so a reader never sees a project that is still waiting without its reason.
  const started: StateEvent = { type: 'attempt-started', stage: at.stage, n: at.n };
  if (moveTo(project, started)) ({ project } = await moveProject(store, project, started));

  const saved =
    flow.candidate === 'given' ? undefined : await store.getAttemptFiles(projectId, at.stage, at.n);
  if (saved) return { at, project, stored: true, candidate: fromRecord(saved) };
  // A stage that tries the library first asks its own source only when no proven fix is left to try.
  const proven = flow.library === 'first' ? await libraryCandidate(deps, project) : undefined;
  return { at, project, stored: false, ...(proven ? { candidate: proven } : {}) };
}

/**
 * Runs an opened attempt with its candidate (or records the refusal the stage's source gave instead):
 * the spec check, the verification, the library after a failure, and the record of what it came to.
 */
export async function runAttempt(
  deps: StageDeps,
  open: OpenAttempt,
  answer: Candidate | Refusal,
): Promise<AttemptResult> {
  const { store } = deps;
  const { at } = open;
  const flow = FLOW[at.stage];
  let { project } = open;
  const projectId = project.id;
  const log = deps.logger.child({ projectId, name: project.name, stage: at.stage, n: at.n });
  const step = `${at.stage}:${at.n}`;
  const ended = (outcome: AttemptResult['outcome'], more: Partial<AttemptResult> = {}): AttemptResult => ({
    ...at,
    outcome,
    project,
    ...more,
  });

  if ('refused' in answer) {
    const { refused, shown } = answer;
    log.warn({ reason: refused }, 'candidate refused; counted as a failed attempt');
    project = await recordAttempt(deps, project, at, {
      outcome: 'failed',
      failure: refused,
      ...(shown ? { shown } : {}),
    });
    return ended('failed', { failure: refused });
  }
  const candidate = answer;
  if (!open.stored) {
    await faultPoint('llm-call', step);
    await store.setAttemptFiles(projectId, at.stage, at.n, toRecord(candidate));
  }
  await faultPoint('answer-stored', step);
  if (project.parked)
    project = await store.update(project, (p) => (p.parked ? { ...p, parked: undefined } : undefined));

  const violation = flow.spec === 'writes' ? undefined : await specViolation(deps, project, candidate.files);
  if (violation) {
    log.warn({ reason: violation }, 'candidate changes the tests; refused unrun as a failed attempt');
    project = await recordAttempt(deps, project, at, { outcome: 'failed', failure: violation, candidate });
    return ended('failed', { failure: violation, candidate });
  }

  const entry = candidate.entry ?? project.entry;
  const result = await verify(deps, project, candidate.files, entry, step);
  const verification = summariseVerification(result);
  const tests = result.tests ? { tests: result.tests } : {};

  if (result.ok) {
    await faultPoint('after-verify', step);
    await store.setFiles(projectId, {
      files: candidate.files,
      ...(entry ? { entry } : {}),
      lastVerification: verification,
    });
    project = await recordAttempt(deps, project, at, { outcome: 'passed', candidate, ...tests });
    log.info({ durationMs: result.durationMs, fixSource: candidate.fixSource }, 'verified');
    return ended('passed', { candidate, ...tests, filesHash: filesHash(candidate.files, entry) });
  }

  const failure = toFailure(result);
  if (flow.library === 'after-failure') {
    const repaired = await repairFromLibrary(deps, project, candidate.files, entry, failure, step);
    if (repaired) {
      project = await recordAttempt(deps, project, at, { outcome: 'passed', failure, ...repaired });
      return ended('passed', repaired);
    }
  }
  const kept =
    flow.failedFiles !== 'discard' && (await keepFailed(deps, project, at, candidate, failure, verification));
  // Kept with the attempt too: the analysis and hard-fix prompts show each attempt's code with its output.
  await store.setAttemptFiles(projectId, at.stage, at.n, {
    ...toRecord(candidate),
    lastFailure: failure,
    lastVerification: verification,
    ...(flow.failedFiles === 'keep-if-further' ? { kept } : {}),
  });
  if (kept)
    await store.setFiles(projectId, {
      files: candidate.files,
      ...(entry ? { entry } : {}),
      lastFailure: failure,
      lastVerification: verification,
    });
  project = await recordAttempt(deps, project, at, { outcome: 'failed', failure, candidate, ...tests });
  log.info({ error: `${failure.type}: ${failure.message}` }, 'verification failed');
  await faultPoint('before-hand-off', step);
  return ended('failed', { failure: failureOf(failure), candidate, ...tests });
}

/** The failure as the caller sees it: what went wrong and where. */
function failureOf(f: Pick<Failure, 'type' | 'message' | 'file' | 'line'>): AttemptResult['failure'] {
  return {
    type: f.type,
    message: f.message,
    ...(f.file ? { file: f.file } : {}),
    ...(f.line ? { line: f.line } : {}),
  };
}

/**
 * Whether a candidate that failed becomes the project's files (the flow table's failedFiles). When they
 * already are (it changed nothing, or a re-run after a crash finds it kept), keeping is a no-op: the
 * answer is what this attempt's record said, so an unchanged block is not reported as progress.
 */
async function keepFailed(
  deps: StageDeps,
  project: Project,
  at: AttemptAt,
  candidate: Candidate,
  failure: Failure,
  verification: VerificationSummary,
): Promise<boolean> {
  if (FLOW[at.stage].failedFiles === 'keep') return true;
  const base = await deps.store.getFiles(project.id);
  const entry = candidate.entry ?? project.entry;
  if (filesHash(base.files, base.entry ?? project.entry) === filesHash(candidate.files, entry))
    return (await deps.store.getAttemptFiles(project.id, at.stage, at.n))?.kept === true;
  return gotFurther(progressOf(failure, verification), progressOf(base.lastFailure, base.lastVerification));
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

interface AttemptRecord {
  outcome: Attempt['outcome'];
  /** The failure the attempt produced (or, repaired from the library, the one it repaired). */
  failure?: Pick<Failure, 'type' | 'message' | 'line' | 'block'>;
  candidate?: Candidate;
  tests?: TestCounts;
  /** The block a candidate refused unrun was for (a candidate's own is its patch). */
  shown?: CodeBlock;
}

async function recordAttempt(
  deps: StageDeps,
  project: Project,
  spec: AttemptAt,
  { outcome, failure, candidate, tests, shown }: AttemptRecord,
): Promise<Project> {
  // Localisation (issue 24): the range shown, so the next attempt can move on from a spent block.
  const range = candidate?.patch ?? shown;
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
    ...(range ? { shown: { file: range.file, startLine: range.startLine, endLine: range.endLine } } : {}),
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
    FLOW[spec.stage].spec === 'writes' && candidate
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
    ...(error.frames?.length ? { frames: error.frames.slice(0, 50) } : {}),
    ...(error.suspicious?.length ? { suspicious: error.suspicious.slice(0, 50) } : {}),
    ...(error.test ? { test: error.test } : {}),
    ...(failed ? { phase: failed.phase } : {}),
    ...(output ? { output } : {}),
  };
}
