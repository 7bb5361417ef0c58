import { type Project, type StageJob, TOOLS } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import { generationPrompt, STAGE_REASONING } from '@hardfix/llm';
import { type Candidate, type JobAnswer, jobAnswer, openAttempt, refusal, runAttempt } from '../attempt.js';
import { dependencyPolicy } from '../dependencies.js';
import type { StageDeps } from '../deps.js';
import { handOff } from '../hand-off.js';
import { callLlm } from '../llm-call.js';

/**
 * Normal generation: attempts 1..NORMAL_RETRIES, each a fresh `write_files` call, RETRY_INTERVAL_MS
 * apart as delayed jobs. When all have failed the project goes to the smart-retry stage.
 */
export function createGenerationStage(deps: StageDeps) {
  return async ({ projectId, n }: StageJob): Promise<JobAnswer> => {
    const open = await openAttempt(deps, await deps.store.mustGet(projectId), { stage: 'generation', n });
    const result =
      open.ended ??
      (await runAttempt(deps, open, open.candidate ?? (await writeFiles(deps, open.project).catch(refusal))));
    await handOff(deps, result);
    return jobAnswer(result);
  };
}

async function writeFiles(deps: StageDeps, project: Project): Promise<Candidate> {
  const prompt = generationPrompt({
    name: project.name,
    language: project.language,
    request: project.prompt ?? '',
    dependencies: dependencyPolicy(deps, project.language),
  });
  const answer = await callLlm(deps, project, {
    tool: TOOLS.writeFiles,
    ...prompt,
    reasoning: STAGE_REASONING.generation,
  });
  // What the language's build needs and the answer left out (a go.mod) is part of the project.
  const files = adapterOf(project.language).files.complete?.(answer.files, project.name) ?? answer.files;
  return { files, ...(answer.entry ? { entry: answer.entry } : {}) };
}
