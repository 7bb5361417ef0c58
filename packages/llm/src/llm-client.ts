import type { ToolDefinition } from '@hardfix/contracts';
import type { z } from 'zod';
import type { LlmUsage } from './errors.js';
import type { Reasoning } from './request-shape.js';

export interface CallToolRequest<S extends z.ZodType> {
  /** One of the contract's `TOOLS`: the only tool offered, and the only answer accepted. */
  tool: ToolDefinition<S>;
  system: string;
  /** The part of the user message that changes from call to call (after `context`). */
  user: string;
  /**
   * The start of the user message that repeats across a project's calls (the request, the tests, the
   * files an attempt does not touch). Sent as its own block, marked for prompt caching with the system
   * prompt, so the second and later calls pay the cache-read rate for it.
   */
  context?: string;
  /** @defaultValue the client's default (16000) */
  maxTokens?: number;
  /** How hard to think: `output_config.effort` and up-front thinking, where the model has them. */
  reasoning?: Reasoning;
  signal?: AbortSignal;
}

export interface CallToolResult<S extends z.ZodType> {
  /** The tool input, validated against `tool.schema`. */
  input: z.infer<S>;
  usage: LlmUsage;
  /** The model that answered, as reported by the API. */
  model: string;
}

/**
 * What every stage needs from a model: one tool call with a validated answer.
 * Failures are LlmError subclasses: LlmTransientError (retry later, no attempt used); LlmAuthError,
 * LlmNotConfiguredError, LlmRequestError, LlmNoAnswerError and LlmSpendLimitError (park, no attempt
 * used); LlmInvalidAnswerError (the tool was called with input that breaks its schema: a failed attempt).
 */
export interface LlmClient {
  /** False when no API key is set; every call then throws LlmNotConfiguredError. */
  readonly configured: boolean;
  readonly model: string;
  callTool<S extends z.ZodType>(request: CallToolRequest<S>): Promise<CallToolResult<S>>;
}
