import type { ToolDefinition } from '@hardfix/contracts';
import { STATS } from '@hardfix/core';
import { LlmInvalidAnswerError } from '@hardfix/llm';
import type { z } from 'zod';
import type { StageDeps } from './deps.js';

export interface LlmRequest<S extends z.ZodType> {
  tool: ToolDefinition<S>;
  system: string;
  user: string;
}

/**
 * One forced-tool call on behalf of a project. Tokens are counted on the project and in the totals
 * even when the answer is unusable: they were paid for.
 */
export async function callLlm<S extends z.ZodType>(
  deps: StageDeps,
  projectId: string,
  request: LlmRequest<S>,
): Promise<z.infer<S>> {
  try {
    const { input, usage } = await deps.metrics.llmCall.time({ tool: request.tool.name }, () =>
      deps.llm.callTool(request),
    );
    await recordUsage(deps, projectId, usage);
    return input;
  } catch (err) {
    if (err instanceof LlmInvalidAnswerError) await recordUsage(deps, projectId, err.usage);
    throw err;
  }
}

async function recordUsage(
  deps: StageDeps,
  projectId: string,
  usage: { inputTokens: number; outputTokens: number },
): Promise<void> {
  await deps.store.update(
    projectId,
    (p) => ({
      ...p,
      usage: {
        calls: p.usage.calls + 1,
        inputTokens: p.usage.inputTokens + usage.inputTokens,
        outputTokens: p.usage.outputTokens + usage.outputTokens,
      },
    }),
    {
      [STATS.llmCalls]: 1,
      [STATS.llmInputTokens]: usage.inputTokens,
      [STATS.llmOutputTokens]: usage.outputTokens,
    },
  );
}
