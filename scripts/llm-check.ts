/**
 * `pnpm llm:check`: one small call per stage against the configured model, so an operator learns
 * before any project does whether the model accepts the service's requests. Reads the same variables
 * as the worker (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, LLM_MODEL, LLM_TIMEOUT_MS). Each call has a
 * tiny prompt and a hard token cap; the table shows, per stage, what the request carried, whether the
 * API accepted it, the shape of the answer, its tokens and its estimated cost.
 *
 * Exit status: 0 when every request was accepted and answered with its tool, 1 otherwise, 2 when the
 * configuration is incomplete.
 */
import { TOOLS, type ToolDefinition } from '@hardfix/contracts';
import { createLogger, loadEnvOrExit } from '@hardfix/core';
import {
  costMicroUsd,
  createAnthropicClient,
  HARD_FIX_REASONING,
  LlmError,
  LlmInvalidAnswerError,
  LlmNoAnswerError,
  type LlmUsage,
  modelSpec,
  type Reasoning,
  STAGE_REASONING,
  shapeRequest,
} from '@hardfix/llm';
import type { z } from 'zod';

/** Thinking counts against max_tokens: enough room for a short answer after it, and no more. */
const MAX_TOKENS = 4_000;

interface Check {
  stage: string;
  tool: ToolDefinition<z.ZodType>;
  reasoning: Reasoning;
  user: string;
}

const HEADER = 'Project: llm-check\nLanguage: python\n\n';
const CHECKS: Check[] = [
  {
    stage: 'generation',
    tool: TOOLS.writeFiles,
    reasoning: STAGE_REASONING.generation,
    user: `${HEADER}## Request\nA main.py that prints "ok". One file, no tests, no explanation.`,
  },
  {
    stage: 'analysis',
    tool: TOOLS.reportAnalysis,
    reasoning: STAGE_REASONING.analysis,
    user: `${HEADER}## Request\nprint ok\n\n## Attempts\nAttempt 1: NameError: name 'pritn' is not defined (main.py line 1)\n\nReport a one-line diagnosis and plan.`,
  },
  {
    stage: 'hard-fix (conservative)',
    tool: TOOLS.replaceBlock,
    reasoning: HARD_FIX_REASONING.conservative,
    user: `${HEADER}## Error\nNameError: name 'pritn' is not defined\n\n## Block to replace: main.py lines 1-1\n<block>\n1 | pritn("ok")\n</block>`,
  },
  {
    stage: 'hard-fix (nuclear)',
    tool: TOOLS.replaceBlock,
    reasoning: HARD_FIX_REASONING.nuclear,
    user: `${HEADER}## Error\nNameError: name 'pritn' is not defined\n\n## Block to replace: main.py lines 1-1\n<block>\n1 | pritn("ok")\n</block>`,
  },
];

function settings(model: string, check: Check): string {
  const params = shapeRequest(modelSpec(model), {
    model,
    tool: check.tool,
    system: '',
    user: '',
    reasoning: check.reasoning,
    maxTokens: MAX_TOKENS,
    cache: false,
  });
  return [
    `tool_choice ${params.tool_choice?.type}`,
    params.thinking ? `thinking ${params.thinking.type}` : 'thinking (model default)',
    params.output_config?.effort ? `effort ${params.output_config.effort}` : 'effort (none)',
  ].join(', ');
}

const tokens = (u: LlmUsage) =>
  `in ${u.inputTokens} (+${u.cacheReadTokens} cached, ${u.cacheWriteTokens} written), out ${u.outputTokens}`;

async function main(): Promise<number> {
  const env = loadEnvOrExit(process.env);
  const say = (line = '') => process.stdout.write(`${line}\n`);
  if (!env.ANTHROPIC_API_KEY) {
    say(
      'ANTHROPIC_API_KEY is not set: nothing to check. Set it (and LLM_MODEL) and run `pnpm llm:check` again.',
    );
    return 2;
  }
  const spec = modelSpec(env.LLM_MODEL);
  say(
    `Model: ${env.LLM_MODEL}${spec.known ? '' : ' (NOT in the model table: strictest rules, highest price)'}`,
  );
  say(`Endpoint: ${env.ANTHROPIC_BASE_URL ?? 'the SDK default (api.anthropic.com)'}`);
  say();
  const llm = createAnthropicClient({
    apiKey: env.ANTHROPIC_API_KEY,
    ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
    model: env.LLM_MODEL,
    logger: createLogger('silent'),
    timeoutMs: env.LLM_TIMEOUT_MS,
    promptCaching: false,
    maxTokens: MAX_TOKENS,
    // One answer per stage, as it comes: this is a look at the model, not a repair.
    maxAsks: 1,
    maxRetries: 1,
  });
  let failures = 0;
  let total = 0;
  for (const check of CHECKS) {
    const sent = settings(env.LLM_MODEL, check);
    try {
      const result = await llm.callTool({
        tool: check.tool,
        system: 'This is a connectivity check of a code-repair service. Keep every answer minimal.',
        user: check.user,
        reasoning: check.reasoning,
      });
      const cost = costMicroUsd(result.model, result.usage);
      total += cost;
      say(`ok      ${check.stage}: accepted [${sent}]; answered with ${check.tool.name}`);
      say(`        ${tokens(result.usage)}; ~$${(cost / 1e6).toFixed(5)}`);
    } catch (err) {
      failures++;
      if (err instanceof LlmNoAnswerError || err instanceof LlmInvalidAnswerError) {
        const cost = costMicroUsd(err.model, err.usage);
        total += cost;
        const shape = err instanceof LlmNoAnswerError ? err.kind : 'invalid tool input';
        say(`ANSWER  ${check.stage}: accepted [${sent}]; unusable answer (${shape}): ${err.message}`);
        say(`        ${tokens(err.usage)}; ~$${(cost / 1e6).toFixed(5)}`);
      } else if (err instanceof LlmError) {
        say(`REFUSED ${check.stage}: [${sent}] ${err.name}: ${err.message}`);
      } else throw err;
    }
  }
  say();
  say(`Estimated cost of this check: $${(total / 1e6).toFixed(5)}`);
  say(failures === 0 ? "Every stage's request was accepted and answered." : `${failures} stage(s) failed.`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`llm:check failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
