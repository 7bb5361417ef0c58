import type { ToolDefinition } from '@hardfix/contracts';
import type { z } from 'zod';
import type { LlmUsage } from './errors.js';

export interface CallToolRequest<S extends z.ZodType> {
  /** One of the contract's `TOOLS`; the model is forced to call it. */
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
  /** @defaultValue the client's default (8192) */
  maxTokens?: number;
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
 * What every stage needs from a model: one forced tool call with a validated answer.
 * Failures are LlmError subclasses: LlmTransientError (retry later, no attempt used), LlmAuthError and
 * LlmNotConfiguredError (park), LlmInvalidAnswerError (a failed attempt), LlmRequestError (permanent).
 */
export interface LlmClient {
  /** False when no API key is set; every call then throws LlmNotConfiguredError. */
  readonly configured: boolean;
  readonly model: string;
  callTool<S extends z.ZodType>(request: CallToolRequest<S>): Promise<CallToolResult<S>>;
}
