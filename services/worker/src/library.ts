import {
  type CodeBlock,
  describeTestFileChanges,
  type Failure,
  type Project,
  type ProjectFile,
  testFileChanges,
} from '@hardfix/contracts';
import {
  applyBlock,
  applyEditPattern,
  applyProvenFix,
  blockFor,
  errorSignature,
  type FixCandidate,
  isReusableError,
  STATS,
  signatureInputOf,
} from '@hardfix/core';
import { withRequirements } from '@hardfix/sandbox';
import type { StageDeps } from './deps.js';

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
