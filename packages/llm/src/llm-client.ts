import type { ToolDefinition } from '@hardfix/contracts';
import type { z } from 'zod';
import type { LlmUsage } from './errors.js';

export interface CallToolRequest<S extends z.ZodType> {
  /** One of the contract's `TOOLS`; the model is forced to call it. */
  tool: ToolDefinition<S>;
  system: string;
  user: string;
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
