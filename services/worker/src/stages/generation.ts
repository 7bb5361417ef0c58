import { QUEUES, type StageJob, TOOLS } from '@hardfix/contracts';
import { enqueueStage } from '@hardfix/core';
import { generationPrompt } from '@hardfix/llm';
import { type AttemptOutcome, runAttempt } from '../attempt.js';
import type { StageDeps } from '../deps.js';
import { callLlm } from '../llm-call.js';

/**
 * Normal generation: attempts 1..NORMAL_RETRIES, each a fresh `write_files` call, RETRY_INTERVAL_MS
 * apart as delayed jobs. When all have failed the project goes to the smart-retry stage.
 */
export function createGenerationStage(deps: StageDeps) {
  return async ({ projectId, n }: StageJob): Promise<AttemptOutcome> =>
    runAttempt(deps, projectId, {
      stage: 'generation',
      n,
      status: n === 1 ? 'generating' : 'retrying',
      writesSpec: true,
      libraryFirst: true,
      produce: async (project) => {
        const prompt = generationPrompt({
          name: project.name,
          language: project.language,
          request: project.prompt ?? '',
        });
        const answer = await callLlm(deps, project, { tool: TOOLS.writeFiles, ...prompt });
        return { files: answer.files, ...(answer.entry ? { entry: answer.entry } : {}) };
      },
      onFailure: async (project) => {
        if (n < deps.env.NORMAL_RETRIES) {
          await enqueueStage(deps.queues, QUEUES.generation, project.id, n + 1, deps.env.RETRY_INTERVAL_MS);
          return;
        }
        await deps.store.update(project.id, (p) =>
          p.stage === 'generation' ? { ...p, stage: 'smart-retry', status: 'smart-retry' } : undefined,
        );
        await enqueueStage(deps.queues, QUEUES.smartRetry, project.id, 1);
      },
    });
}
