import type { Project } from '@hardfix/contracts';
import { type AttemptResult, type Candidate, openAttempt, runAttempt } from '../attempt.js';
import type { StageDeps } from '../deps.js';
import { handOff } from '../hand-off.js';

/** An imported project is first run as it is: delivered if it works, otherwise hard fix starts. */
export async function verifyImport(deps: StageDeps, project: Project): Promise<AttemptResult> {
  const open = await openAttempt(deps, project, { stage: 'import', n: 1 });
  const result =
    open.ended ?? (await runAttempt(deps, open, open.candidate ?? (await importedFiles(deps, project))));
  await handOff(deps, result);
  return result;
}

/** The files as imported, run as they are. */
async function importedFiles(deps: StageDeps, project: Project): Promise<Candidate> {
  const record = await deps.store.getFiles(project.id);
  return { files: record.files, ...(record.entry ? { entry: record.entry } : {}) };
}
