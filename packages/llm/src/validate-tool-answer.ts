import type Anthropic from '@anthropic-ai/sdk';
import type { ToolDefinition } from '@hardfix/contracts';
import type { z } from 'zod';
import { LlmInvalidAnswerError, type LlmUsage } from './errors.js';

const MAX_ISSUES_IN_MESSAGE = 8;

function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(input)' : path.map(String).join('.');
}

/** Finds the forced tool's call in a Message and validates its input; anything else is an invalid answer. */
export function validateToolAnswer<S extends z.ZodType>(
  message: Anthropic.Message,
  tool: ToolDefinition<S>,
  usage: LlmUsage,
): z.infer<S> {
  const truncated = message.stop_reason === 'max_tokens' ? ' (the answer was cut off at max_tokens)' : '';
  const calls = message.content.filter((block) => block.type === 'tool_use');
  const call = calls.find((block) => block.name === tool.name);
  if (!call) {
    const other = calls[0];
    const text = message.content
      .flatMap((block) => (block.type === 'text' ? [block.text] : []))
      .join(' ')
      .slice(0, 200);
    const got = other
      ? `called tool "${other.name}" instead`
      : `gave no tool call (stop_reason ${message.stop_reason}${text ? `, text: ${JSON.stringify(text)}` : ''})`;
    throw new LlmInvalidAnswerError(
      `The model did not call ${tool.name}: it ${got}${truncated}`,
      usage,
      message.model,
    );
  }
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
    `The ${tool.name} input does not match its schema: ${listed}${more}${truncated}`,
    usage,
    message.model,
    fields,
  );
}
