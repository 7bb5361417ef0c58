import {
  type CodeBlock,
  describeTestFileChanges,
  evidenceOf,
  type Failure,
  type Project,
  type ProjectFile,
  type TestCounts,
  testFileChanges,
} from '@hardfix/contracts';
import {
  applyBlock,
  applyEditPattern,
  applyProvenFix,
  blockFor,
  errorSignature,
  type FixCandidate,
  filesHash,
  isReusableError,
  STATS,
  signatureInputOf,
} from '@hardfix/core';
import { summariseVerification, withRequirements } from '@hardfix/sandbox';
import type { Candidate } from './candidate.js';
import type { StageDeps } from './deps.js';
import { verify } from './verify-candidate.js';

/** How a library fix was carried to this project: its edit pattern at the anchor, or its block patch. */
export type PickVia = 'pattern' | 'patch';

export interface LibraryPick {
  fix: FixCandidate;
  via: PickVia;
  /** The lines replaced: the failing block for a patch, the whole changed file for a pattern. */
  block: CodeBlock;
  /** What stands in the block's place now. */
  code: string;
  files: ProjectFile[];
}

/** The key under which a project remembers that it tried a fix one way (see Project.triedFixes). */
const triedKey = (fixId: string, via: PickVia) => (via === 'pattern' ? fixId : `${fixId}#patch`);

/**
 * The proven fixes for a failure that this project has not tried yet and that apply to its code, best
 * fix first, and for each fix its edit pattern (instantiated at the anchor, anywhere in the failing
 * file) before its block-level patch. Each is marked tried as it is handed out, so a way that fails
 * here is not offered again. An error that names no mistake and has no scope offers nothing.
 */
export async function* libraryPicks(
  deps: StageDeps,
  project: Project,
  files: ProjectFile[],
  failure: Failure,
  entry: string | undefined,
): AsyncGenerator<LibraryPick> {
  const input = signatureInputOf(project.language, failure);
  if (!isReusableError(input)) return;
  const tried = new Set(project.triedFixes ?? []);
  const offered = await deps.library.lookupCandidates(input);
  const block = blockFor(failure, files, project.language, entry);
  for (const fix of offered) {
    const ways: Omit<LibraryPick, 'fix'>[] = [];
    const patterned = fix.pattern
      ? applyEditPattern(fix.pattern, { language: project.language, files, file: failure.file ?? block.file })
      : undefined;
    if (patterned)
      ways.push({ via: 'pattern', ...wholeFileChange(files, patterned.files, patterned.changed) });
    const code = applyProvenFix(fix, block);
    if (code !== undefined) {
      const patched = applyBlock(files, block, code);
      // The same files as the pattern gave are not worth a second verification.
      if (!patterned || !sameFiles(patched, patterned.files))
        ways.push({ via: 'patch', block, code, files: patched });
    }
    // A fix that only declared a package (its code unchanged) applies to any block: the code stays.
    if (ways.length === 0 && fix.dependencies?.length && fix.original_code === fix.working_code)
      ways.push({ via: 'patch', block, code: block.code, files });
    for (const found of ways) {
      // A fix that declared a package declares it here too (a missing module's distribution).
      const way = fix.dependencies?.length
        ? { ...found, files: withRequirements(project.language, found.files, fix.dependencies) }
        : found;
      const key = triedKey(fix.fix_id, way.via);
      if (tried.has(key)) continue;
      // A fix may never touch the spec: a way that would is not offered, and counts against the fix.
      if (describeTestFileChanges(testFileChanges(project.language, files, way.files))) {
        await deps.library.recordFailure(fix.fix_id, `${project.id}:changes-tests:${way.via}`);
        continue;
      }
      await deps.store.update(project.id, (p) =>
        p.triedFixes?.includes(key) ? undefined : { ...p, triedFixes: [...(p.triedFixes ?? []), key] },
      );
      yield { fix, ...way };
    }
  }
}

/** A pattern's result as a block change: the first changed file, whole. */
function wholeFileChange(
  before: ProjectFile[],
  after: ProjectFile[],
  changed: string[],
): Omit<LibraryPick, 'fix' | 'via'> {
  const path = changed[0] ?? '';
  const old = before.find((f) => f.path === path)?.content ?? '';
  const now = after.find((f) => f.path === path)?.content ?? '';
  const lines = old.replace(/\n$/, '').split('\n').length;
  return {
    block: { file: path, startLine: 1, endLine: lines, code: old.replace(/\n$/, '') },
    code: now,
    files: after,
  };
}

function sameFiles(a: ProjectFile[], b: ProjectFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f.path === b[i]?.path && f.content === b[i]?.content);
}

/** Counts a library fix's success on this project (idempotent), with the /status repair counters. */
export async function recordLibrarySuccess(
  deps: StageDeps,
  project: Project,
  pick: { fixId: string; failure: Failure; block?: CodeBlock; code?: string },
  attempts: number,
  evidence: 'tests' | 'run-only',
): Promise<void> {
  const input = signatureInputOf(project.language, pick.failure);
  await deps.library.saveSuccess({
    fixId: pick.fixId,
    // The fix may be stored under an older version's signature; this one becomes its alias.
    signature: errorSignature(input),
    errorType: pick.failure.type,
    language: project.language,
    description: `Fixed ${pick.failure.type} in ${project.language} (library)`,
    workingCode: pick.code ?? '',
    ...(pick.block ? { originalCode: pick.block.code } : {}),
    attempts: 1,
    projectName: project.name,
    source: 'library',
    evidence,
    counters: {
      [STATS.projectsRepaired]: 1,
      [STATS.repairAttemptSum]: attempts,
      [STATS.projectsRepairedFromLibrary]: 1,
    },
  });
}

/**
 * The library as an attempt's candidate (the flow table's `first`): the best proven fix this project
 * has not tried yet for the failure of its current files, or undefined when none is left (then the
 * stage's own source is asked). It targets that failure, so a success is saved under it.
 */
export async function libraryCandidate(deps: StageDeps, project: Project): Promise<Candidate | undefined> {
  const current = await deps.store.getFiles(project.id);
  const failure = current.lastFailure ?? {
    type: 'VerificationFailed',
    message: 'the project did not verify',
  };
  const entry = current.entry ?? project.entry;
  for await (const pick of libraryPicks(deps, project, current.files, failure, entry)) {
    deps.logger.info(
      { projectId: project.id, fixId: pick.fix.fix_id, via: pick.via },
      'trying a proven fix from the library',
    );
    return {
      files: pick.files,
      ...(entry ? { entry } : {}),
      patch: { ...pick.block, code: pick.code },
      target: failure,
      fixSignature: errorSignature(signatureInputOf(project.language, failure)),
      fixSource: 'library',
      fixId: pick.fix.fix_id,
    };
  }
  return undefined;
}

/**
 * The library after a failed candidate (the flow table's `after-failure`): its fixes for this failure,
 * each verified; the first that works becomes the project's files and its success is counted, and the
 * attempt passes with it (fixSource 'library'). A fix that does not verify is counted against it.
 * Undefined when none worked.
 */
export async function repairFromLibrary(
  deps: StageDeps,
  project: Project,
  files: ProjectFile[],
  entry: string | undefined,
  failure: Failure,
  /** The attempt ("<stage>:<n>"): the use id a failure is counted under, and the fault suite's step. */
  step: string,
): Promise<{ candidate: Candidate; tests?: TestCounts; filesHash: string } | undefined> {
  const useId = `${project.id}:${step}`;
  // A fix is counted against only when every way of applying it failed here (see libraryPicks).
  let failed: string | undefined;
  for await (const pick of libraryPicks(deps, project, files, failure, entry)) {
    if (failed && failed !== pick.fix.fix_id) await deps.library.recordFailure(failed, useId);
    failed = undefined;
    const result = await verify(deps, project, pick.files, entry, step);
    if (!result.ok) {
      failed = pick.fix.fix_id;
      continue;
    }
    deps.logger.info(
      { projectId: project.id, fixId: pick.fix.fix_id, via: pick.via },
      'repaired from the library',
    );
    await recordLibrarySuccess(
      deps,
      project,
      { fixId: pick.fix.fix_id, failure, block: pick.block, code: pick.code },
      1,
      evidenceOf(result.tests),
    );
    await deps.store.setFiles(project.id, {
      files: pick.files,
      ...(entry ? { entry } : {}),
      lastVerification: summariseVerification(result),
    });
    const fixSignature = errorSignature(signatureInputOf(project.language, failure));
    return {
      candidate: { files: pick.files, fixSource: 'library', fixId: pick.fix.fix_id, fixSignature },
      ...(result.tests ? { tests: result.tests } : {}),
      filesHash: filesHash(pick.files, entry),
    };
  }
  if (failed) await deps.library.recordFailure(failed, useId);
  return undefined;
}
