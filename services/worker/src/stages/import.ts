import { type AttemptOutcome, runAttempt } from '../attempt.js';
import type { StageDeps } from '../deps.js';
import { handOff } from '../hand-off.js';
import { statusDuring } from '../transitions.js';

/** An imported project is first run as it is: delivered if it works, otherwise hard fix starts. */
export async function verifyImport(deps: StageDeps, projectId: string): Promise<AttemptOutcome> {
  return runAttempt(deps, projectId, {
    stage: 'import',
    n: 1,
    status: statusDuring('import', 1),
    writesSpec: true,
    libraryFirst: true,
    produce: async () => {
      const record = await deps.store.getFiles(projectId);
      return { files: record.files, ...(record.entry ? { entry: record.entry } : {}) };
    },
    onFailure: async (project) => {
      await handOff(deps, projectId, { stage: 'import', verified: false }, project);
    },
  });
}
