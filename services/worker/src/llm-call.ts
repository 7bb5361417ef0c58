import { type Project, type ToolDefinition, tokensSpent } from '@hardfix/contracts';
import { readLlmPause, STATS } from '@hardfix/core';
import {
  budgetTokensOf,
  costMicroUsd,
  LlmInvalidAnswerError,
  LlmNoAnswerError,
  LlmSpendLimitError,
  type LlmUsage,
  type Reasoning,
} from '@hardfix/llm';
import type { z } from 'zod';
import { ensureWithinBudget } from './budget.js';
import type { StageDeps } from './deps.js';

export interface LlmRequest<S extends z.ZodType> {
  tool: ToolDefinition<S>;
  system: string;
  user: string;
  /** The repeated start of the user message, sent for prompt caching (see CallToolRequest). */
  context?: string;
  /** How hard the stage wants the model to think (see CallToolRequest). */
  reasoning?: Reasoning;
}

/**
 * One tool call on behalf of a project, unless the project has reached its budget (then it goes to
 * manual review and BudgetReachedError is thrown) or the LLM stages are paused for a spend limit (then
 * LlmSpendLimitError is thrown without a request). Tokens are counted on the project and in the totals
 * even when the answer is unusable: they were paid for.
 */
export async function callLlm<S extends z.ZodType>(
  deps: StageDeps,
  /** As the stage last read it: one job per project at a time, so its usage is current. */
  project: Project,
  request: LlmRequest<S>,
): Promise<z.infer<S>> {
  await ensureWithinBudget(deps, project);
  const pause = await readLlmPause(deps.redis, deps.env.QUEUE_PREFIX);
  if (pause) throw new LlmSpendLimitError(`${pause.reason} (LLM stages paused until ${pause.until})`);
  try {
    const { input, usage, model } = await deps.metrics.llmCall.time({ tool: request.tool.name }, () =>
      deps.llm.callTool(request),
    );
    await recordUsage(deps, project, usage, model);
    return input;
  } catch (err) {
    if (err instanceof LlmInvalidAnswerError || err instanceof LlmNoAnswerError)
      await recordUsage(deps, project, err.usage, err.model);
    throw err;
  }
}

async function recordUsage(deps: StageDeps, project: Project, usage: LlmUsage, model: string): Promise<void> {
  const cost = costMicroUsd(model, usage);
  // The per-call record (the project and /status keep the sums).
  deps.logger.info({ projectId: project.id, model, ...usage, estimatedCostUsd: cost / 1e6 }, 'llm usage');
  await deps.store.update(
    project,
    (p) => ({
      ...p,
      usage: {
        calls: p.usage.calls + 1,
        inputTokens: p.usage.inputTokens + usage.inputTokens,
        outputTokens: p.usage.outputTokens + usage.outputTokens,
        cacheWriteTokens: p.usage.cacheWriteTokens + usage.cacheWriteTokens,
        cacheReadTokens: p.usage.cacheReadTokens + usage.cacheReadTokens,
        costMicroUsd: p.usage.costMicroUsd + cost,
        budgetTokens: tokensSpent(p.usage) + budgetTokensOf(model, usage),
      },
    }),
    {
      [STATS.llmCalls]: 1,
      [STATS.llmInputTokens]: usage.inputTokens,
      [STATS.llmOutputTokens]: usage.outputTokens,
      [STATS.llmCacheWriteTokens]: usage.cacheWriteTokens,
      [STATS.llmCacheReadTokens]: usage.cacheReadTokens,
      [STATS.llmCostMicroUsd]: cost,
    },
  );
}
