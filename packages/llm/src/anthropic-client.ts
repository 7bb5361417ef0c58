import Anthropic, { type ClientOptions } from '@anthropic-ai/sdk';
import { toolInputJsonSchema } from '@hardfix/contracts';
import type { z } from 'zod';
import { capRetryWait } from './cap-retry-wait.js';
import type { LlmUsage } from './errors.js';
import type { CallToolRequest, CallToolResult, LlmClient } from './llm-client.js';
import type { Logger } from './logger.js';
import { mapSdkError } from './map-sdk-error.js';
import { validateToolAnswer } from './validate-tool-answer.js';

export interface AnthropicClientOptions {
  apiKey: string;
  /** @defaultValue the SDK's default (api.anthropic.com) */
  baseURL?: string | undefined;
  model: string;
  logger: Logger;
  /**
   * Retries the SDK makes itself (with backoff, honouring `retry-after`) before a transient error
   * reaches the caller, which then backs off at the queue level.
   * @defaultValue 2
   */
  maxRetries?: number;
  /**
   * Per HTTP request. A worker slot is held while waiting, so this is far below the SDK's 10 minutes,
   * yet long enough for a full `maxTokens` answer.
   * @defaultValue 300000
   */
  timeoutMs?: number;
  /** @defaultValue 16000 */
  maxTokens?: number;
  /**
   * The longest server-requested wait (`retry-after`) the SDK may sleep through in-process; a longer one
   * fails at once with LlmTransientError so the queue does the waiting.
   * @defaultValue 10000
   */
  maxRetryWaitMs?: number;
  /**
   * Marks the system prompt and a request's `context` with `cache_control` (prompt caching), so what
   * repeats across a project's calls is paid at the cache-read rate. Off only to measure the difference.
   * @defaultValue true
   */
  promptCaching?: boolean;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

type SdkLogger = NonNullable<ClientOptions['logger']>;

/** The SDK logs (retries, warnings) go to our pino logger instead of the console. */
function sdkLogger(logger: Logger): SdkLogger {
  const log =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string, ...rest: unknown[]) =>
      logger[level](rest.length > 0 ? { details: rest } : {}, message);
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}

export function createAnthropicClient(options: AnthropicClientOptions): LlmClient {
  const logger = options.logger.child({ component: 'llm' });
  const sdk = new Anthropic({
    apiKey: options.apiKey,
    // An explicit null keeps the SDK from reading ANTHROPIC_BASE_URL itself: configuration comes from env.ts.
    baseURL: options.baseURL ?? null,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 300_000,
    logger: sdkLogger(logger.child({ component: 'anthropic-sdk' })),
    logLevel: 'warn',
    fetch: capRetryWait(options.maxRetryWaitMs ?? 10_000),
  });
  const defaultMaxTokens = options.maxTokens ?? 16_000;
  const cache = options.promptCaching ?? true;
  const cached = (text: string): Anthropic.TextBlockParam =>
    cache ? { type: 'text', text, cache_control: EPHEMERAL } : { type: 'text', text };

  return {
    configured: true,
    model: options.model,
    async callTool<S extends z.ZodType>(request: CallToolRequest<S>): Promise<CallToolResult<S>> {
      const { tool } = request;
      const started = Date.now();
      let message: Anthropic.Message;
      try {
        message = await sdk.messages.create(
          {
            model: options.model,
            max_tokens: request.maxTokens ?? defaultMaxTokens,
            // The cache covers tools, system and the context block, in that order (one prefix).
            system: [cached(request.system)],
            messages: [
              {
                role: 'user',
                content: request.context
                  ? [cached(request.context), { type: 'text', text: request.user }]
                  : request.user,
              },
            ],
            tools: [
              {
                name: tool.name,
                description: tool.description,
                input_schema: toolInputJsonSchema(tool.schema) as Anthropic.Tool.InputSchema,
              },
            ],
            // Forcing the tool makes the answer structured; extended thinking is incompatible with it.
            tool_choice: { type: 'tool', name: tool.name },
          },
          request.signal ? { signal: request.signal } : undefined,
        );
      } catch (err) {
        const mapped = mapSdkError(err);
        logger.warn(
          {
            tool: tool.name,
            ms: Date.now() - started,
            err: (mapped as Error)?.message,
            code: (mapped as { code?: string })?.code,
          },
          'llm call failed',
        );
        throw mapped;
      }
      const usage: LlmUsage = {
        inputTokens: message.usage.input_tokens,
        outputTokens: message.usage.output_tokens,
        cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
        cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
      };
      logger.debug(
        {
          tool: tool.name,
          model: message.model,
          ms: Date.now() - started,
          ...usage,
          stop: message.stop_reason,
        },
        'llm call answered',
      );
      const input = validateToolAnswer(message, tool, usage);
      return { input, usage, model: message.model };
    },
  };
}
