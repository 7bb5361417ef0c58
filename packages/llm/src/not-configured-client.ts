import type { z } from 'zod';
import { LlmNotConfiguredError } from './errors.js';
import type { CallToolRequest, CallToolResult, LlmClient } from './llm-client.js';

/** Stands in when ANTHROPIC_API_KEY is unset, so the service still runs (library fixes need no LLM). */
export class NotConfiguredLlmClient implements LlmClient {
  readonly configured = false;
  constructor(readonly model = 'none') {}

  async callTool<S extends z.ZodType>(_request: CallToolRequest<S>): Promise<CallToolResult<S>> {
    throw new LlmNotConfiguredError();
  }
}
