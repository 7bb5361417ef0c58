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
  applyProvenFix,
  blockFor,
  errorSignature,
  type FixCandidate,
  STATS,
} from '@hardfix/core';
import type { StageDeps } from './deps.js';

export interface LibraryPick {
  fix: FixCandidate;
  block: CodeBlock;
  /** The fix applied to this project's block. */
  code: string;
  files: ProjectFile[];
}

/**
 * The proven fixes for a failure that this project has not tried yet and that apply to its code, best
 * first. Each is marked tried as it is handed out, so a fix that fails here is not offered again.
 */
export async function* libraryPicks(
  deps: StageDeps,
  project: Project,
  files: ProjectFile[],
  failure: Failure,
  entry: string | undefined,
): AsyncGenerator<LibraryPick> {
  const tried = new Set(project.triedFixes ?? []);
  const offered = await deps.library.lookupCandidates({
    language: project.language,
    type: failure.type,
    message: failure.message,
  });
  const block = blockFor(failure, files, project.language, entry);
  for (const fix of offered) {
    if (tried.has(fix.fix_id)) continue;
    const code = applyProvenFix(fix, block);
    if (code === undefined) continue;
    const patched = applyBlock(files, block, code);
    // A fix may never touch the spec: one that would is not offered, and counts against it.
    if (describeTestFileChanges(testFileChanges(project.language, files, patched))) {
      await deps.library.recordFailure(fix.fix_id, `${project.id}:changes-tests`);
      continue;
    }
    await deps.store.update(project.id, (p) =>
      p.triedFixes?.includes(fix.fix_id)
        ? undefined
        : { ...p, triedFixes: [...(p.triedFixes ?? []), fix.fix_id] },
    );
    yield { fix, block, code, files: patched };
  }
}

/** Counts a library fix's success on this project (idempotent), with the /status repair counters. */
export async function recordLibrarySuccess(
  deps: StageDeps,
  project: Project,
  pick: { fixId: string; failure: Failure; block?: CodeBlock; code?: string },
  attempts: number,
  evidence: 'tests' | 'run-only',
): Promise<void> {
  await deps.library.saveSuccess({
    fixId: pick.fixId,
    signature: errorSignature({
      language: project.language,
      type: pick.failure.type,
      message: pick.failure.message,
    }),
    errorType: pick.failure.type,
    language: project.language,
    description: `Fixed ${pick.failure.type} in ${project.language} (library)`,
    workingCode: pick.code ?? '',
    ...(pick.block ? { originalCode: pick.block.code } : {}),
    attempts: 1,
    projectName: project.name,
    source: 'library',
    evidence,
    counters: { [STATS.repairs]: 1, [STATS.repairAttempts]: attempts, [STATS.libraryRepairs]: 1 },
  });
}
