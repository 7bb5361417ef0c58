import { type ImportProjectBody, type Project, type ProjectFile, QUEUES } from '@hardfix/contracts';
import { ENTRY_STATES, type ProjectStore, type StageQueues } from '@hardfix/core';
import { type Accepted, submit } from './submit-project.js';

/**
 * POST /projects/import: a project that failed elsewhere. The hard-fix stage's first job sees the
 * 'import' stage, runs the files as they are (delivered if they work) and only then starts fixing.
 */
export function importProject(
  store: ProjectStore,
  queues: StageQueues,
  body: ImportProjectBody,
): Promise<Accepted> {
  const { name, language, files, entry, errorLog, callbackUrl } = body;
  return submit(store, queues, {
    project: {
      name,
      language,
      ...ENTRY_STATES.import,
      ...(entry ? { entry } : {}),
      ...(callbackUrl ? { callbackUrl } : {}),
      files: { files, ...(entry ? { entry } : {}), ...(errorLog !== undefined ? { errorLog } : {}) },
    },
    queue: QUEUES.hardFix,
    isSameRequest: (existing) => isSameImport(store, existing, body),
    difference: 'a different language, entry, files or callbackUrl',
  });
}

/**
 * The same request means the same language, entry, callback and files. The error log is only
 * context, so a retry with a longer log is still a retry. Hard fix rewrites the current files, so the
 * imported ones are compared as the import attempt stored them (written before anything changes them).
 */
async function isSameImport(store: ProjectStore, existing: Project, body: ImportProjectBody) {
  if (existing.prompt !== undefined || existing.language !== body.language) return false;
  if ((existing.entry ?? undefined) !== body.entry) return false;
  if (existing.callbackUrl !== body.callbackUrl) return false;
  const imported =
    (await store.getAttemptFiles(existing.id, 'import', 1)) ?? (await store.getFiles(existing.id));
  return sameFiles(imported.files, body.files);
}

function sameFiles(a: ProjectFile[], b: ProjectFile[]): boolean {
  if (a.length !== b.length) return false;
  const byPath = new Map(a.map((f) => [f.path, f.content]));
  return b.every((f) => byPath.get(f.path) === f.content);
}
