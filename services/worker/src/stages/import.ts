import type { Project } from '@hardfix/contracts';
import { type AttemptResult, runAttempt } from '../attempt.js';
import type { StageDeps } from '../deps.js';
import { handOff } from '../hand-off.js';

/** An imported project is first run as it is: delivered if it works, otherwise hard fix starts. */
export async function verifyImport(deps: StageDeps, project: Project): Promise<AttemptResult> {
  const result = await runAttempt(deps, project, { stage: 'import', n: 1 }, async () => {
    const record = await deps.store.getFiles(project.id);
    return { files: record.files, ...(record.entry ? { entry: record.entry } : {}) };
  });
  await handOff(deps, result);
  return result;
}
