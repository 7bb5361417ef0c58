import type Anthropic from '@anthropic-ai/sdk';
import type { ToolDefinition } from '@hardfix/contracts';
import type { z } from 'zod';
import { LlmInvalidAnswerError, type LlmUsage } from './errors.js';

const MAX_ISSUES_IN_MESSAGE = 8;

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(input)' : path.map(String).join('.');
}

/**
 * The one call of `tool` among the answer's blocks. A thinking model puts `thinking` blocks (and may put
 * text) before it, so blocks are picked by type and name, never by position.
 */
export function findToolCall(
  message: Anthropic.Message,
  tool: ToolDefinition<z.ZodType>,
): Anthropic.ToolUseBlock | undefined {
  return message.content.find(
    (block): block is Anthropic.ToolUseBlock => block.type === 'tool_use' && block.name === tool.name,
  );
}

/** Validates a tool call's input against the tool's schema; a mismatch is an invalid answer. */
export function validateToolInput<S extends z.ZodType>(
  call: Anthropic.ToolUseBlock,
  tool: ToolDefinition<S>,
  usage: LlmUsage,
  model: string,
): z.infer<S> {
  const parsed = tool.schema.safeParse(call.input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const fields = [...new Set(issues.map((issue) => pathOf(issue.path)))];
  const listed = issues
    .slice(0, MAX_ISSUES_IN_MESSAGE)
    .map((issue) => `${pathOf(issue.path)}: ${issue.message}`)
    .join('; ');
  const more =
    issues.length > MAX_ISSUES_IN_MESSAGE ? ` (+${issues.length - MAX_ISSUES_IN_MESSAGE} more)` : '';
  throw new LlmInvalidAnswerError(
    `The ${tool.name} input does not match its schema: ${listed}${more}`,
    usage,
    model,
    fields,
  );
}
