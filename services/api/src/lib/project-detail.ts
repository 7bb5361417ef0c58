import type {
  Attempt,
  AttemptDetail,
  Failure,
  FailureView,
  FileChange,
  ProjectFile,
  ProjectSource,
} from '@hardfix/contracts';
import { boundedHunks, type ProjectStore } from '@hardfix/core';

/** Lines of context around each change: as `diff -u` shows it. */
const DIFF_CONTEXT = 3;

/** Field by field, like the project view: a field added to the stored failure later stays private. */
export function toFailureView(f: Failure): FailureView {
  return {
    type: f.type,
    message: f.message,
    ...(f.file ? { file: f.file } : {}),
    ...(f.line ? { line: f.line } : {}),
    ...(f.test
      ? {
          test: {
            ...(f.test.name ? { name: f.test.name } : {}),
            ...(f.test.file ? { file: f.test.file } : {}),
            ...(f.test.line ? { line: f.test.line } : {}),
            ...(f.test.assertion ? { assertion: f.test.assertion } : {}),
          },
        }
      : {}),
    ...(f.output ? { output: f.output } : {}),
  };
}

/** The request and the current files: what the review console shows in its editor. */
export async function projectSource(
  store: ProjectStore,
  project: { id: string; prompt?: string | undefined },
): Promise<ProjectSource> {
  const record = await store.getFiles(project.id);
  return {
    ...(project.prompt ? { prompt: project.prompt } : {}),
    ...(record.errorLog ? { errorLog: record.errorLog } : {}),
    files: record.files,
    ...(record.entry ? { entry: record.entry } : {}),
    ...(record.lastFailure ? { lastFailure: toFailureView(record.lastFailure) } : {}),
  };
}

/**
 * Every attempt in the order it happened, each with what it changed against the files it patched: the
 * files of the latest attempt whose files became the project's. A failed hard-fix candidate that got no
 * further is reverted (`kept: false`) and a reviewer's failed submission leaves the files as they were,
 * so neither is the base of what comes after. The diffs are computed here, bounded (core's
 * boundedHunks), so the page needs no diff code.
 */
export async function attemptDetails(
  store: ProjectStore,
  project: { id: string; attempts: Attempt[] },
): Promise<AttemptDetail[]> {
  const records = await Promise.all(
    project.attempts.map((a) => store.getAttemptFiles(project.id, a.stage, a.n)),
  );
  let before: ProjectFile[] | undefined;
  return project.attempts.map((attempt, i) => {
    const record = records[i];
    const failure = record?.lastFailure ? { failure: toFailureView(record.lastFailure) } : {};
    if (!record) return { ...attempt, changes: { kind: 'unavailable' as const } };
    const changes = before
      ? { kind: 'diff' as const, files: changedFiles(before, record.files) }
      : {
          kind: 'first' as const,
          files: record.files.map((f) => ({ path: f.path, change: 'added' as const })),
        };
    const reverted =
      record.kept === false || (attempt.fixSource === 'manual' && attempt.outcome === 'failed');
    if (!reverted) before = record.files;
    return { ...attempt, ...failure, changes };
  });
}

function changedFiles(before: ProjectFile[], after: ProjectFile[]): FileChange[] {
  const old = new Map(before.map((f) => [f.path, f.content]));
  const changes: FileChange[] = [];
  for (const file of after) {
    const was = old.get(file.path);
    old.delete(file.path);
    if (was === file.content) continue;
    const diff = unifiedDiff(was ?? '', file.content);
    changes.push({
      path: file.path,
      change: was === undefined ? 'added' : 'modified',
      ...(diff === undefined ? {} : { diff }),
    });
  }
  for (const [path, was] of old) {
    const diff = unifiedDiff(was, '');
    changes.push({ path, change: 'deleted', ...(diff === undefined ? {} : { diff }) });
  }
  return changes;
}

function unifiedDiff(before: string, after: string): string | undefined {
  const hunks = boundedHunks(before, after, DIFF_CONTEXT);
  if (!hunks) return undefined;
  return hunks
    .map((h) => [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join('\n'))
    .join('\n');
}
