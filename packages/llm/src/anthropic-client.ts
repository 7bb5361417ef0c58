import Anthropic, { type ClientOptions } from '@anthropic-ai/sdk';
import type { z } from 'zod';
import { capRetryWait } from './cap-retry-wait.js';
import { LlmNoAnswerError, type LlmUsage } from './errors.js';
import type { CallToolRequest, CallToolResult, LlmClient } from './llm-client.js';
import type { Logger } from './logger.js';
import { mapSdkError } from './map-sdk-error.js';
import { type ModelSpec, modelSpec } from './models.js';
import { nudgeFor, shapeRequest } from './request-shape.js';
import { findToolCall, validateToolInput } from './validate-tool-answer.js';

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
  /** @defaultValue 16000 (thinking included; a cut-off answer is asked again with more room) */
  maxTokens?: number;
  /**
   * Asked instead when the configured model refuses (`stop_reason: "refusal"`), as the refusals page
   * advises; unset: a refusal parks the work with its reason.
   */
  fallbackModel?: string | undefined;
  /**
   * How many times one call may ask in all, when answers hold no usable tool call (prose only, cut off
   * at max_tokens) before it gives up with LlmNoAnswerError.
   * @defaultValue 3
   */
  maxAsks?: number;
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

type SdkLogger = NonNullable<ClientOptions['logger']>;

/** The SDK logs (retries, warnings) go to our pino logger instead of the console. */
function sdkLogger(logger: Logger): SdkLogger {
  const log =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string, ...rest: unknown[]) =>
      logger[level](rest.length > 0 ? { details: rest } : {}, message);
  return { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}

const ZERO: LlmUsage = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };

function usageOf(message: Anthropic.Message): LlmUsage {
  return {
    inputTokens: message.usage.input_tokens,
    outputTokens: message.usage.output_tokens,
    cacheWriteTokens: message.usage.cache_creation_input_tokens ?? 0,
    cacheReadTokens: message.usage.cache_read_input_tokens ?? 0,
  };
}

function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
  };
}

/** The model's own words on a refusal (`stop_details`), when it gave any. */
function refusalDetail(message: Anthropic.Message): string {
  const details = (message as { stop_details?: { category?: unknown; explanation?: unknown } | null })
    .stop_details;
  const parts = [details?.category, details?.explanation].filter((p): p is string => typeof p === 'string');
  return parts.length > 0 ? `: ${parts.join(': ')}` : '';
}

/** Warns once per process about a model id the table does not know (strictest rules, highest price). */
const warned = new Set<string>();
function warnIfUnknown(logger: Logger, id: string, spec: ModelSpec & { known: boolean }) {
  if (spec.known || warned.has(id)) return;
  warned.add(id);
  logger.warn(
    { model: id },
    'LLM_MODEL is not in the model table (packages/llm/src/models.ts): requests use the strictest rules and costs the highest price; run `pnpm llm:check` to see what the model accepts',
  );
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
  const maxAsks = Math.max(1, options.maxAsks ?? 3);
  const primary = modelSpec(options.model);
  warnIfUnknown(logger, options.model, primary);
  const fallback = options.fallbackModel ? modelSpec(options.fallbackModel) : undefined;
  if (options.fallbackModel && fallback) warnIfUnknown(logger, options.fallbackModel, fallback);

  /** One request, streamed so a large max_tokens never meets the SDK's limit for non-streaming calls. */
  async function ask(params: Anthropic.MessageCreateParamsNonStreaming, signal?: AbortSignal) {
    const started = Date.now();
    try {
      const message = await sdk.messages.stream(params, signal ? { signal } : undefined).finalMessage();
      logger.debug(
        {
          tool: toolName(params),
          model: message.model,
          ms: Date.now() - started,
          ...usageOf(message),
          stop: message.stop_reason,
        },
        'llm call answered',
      );
      return message;
    } catch (err) {
      const mapped = mapSdkError(err);
      logger.warn(
        {
          tool: toolName(params),
          model: params.model,
          ms: Date.now() - started,
          err: (mapped as Error)?.message,
          code: (mapped as { code?: string })?.code,
        },
        'llm call failed',
      );
      throw mapped;
    }
  }

  return {
    configured: true,
    model: options.model,
    async callTool<S extends z.ZodType>(request: CallToolRequest<S>): Promise<CallToolResult<S>> {
      const { tool } = request;
      let model = options.model;
      let spec: ModelSpec = primary;
      let maxTokens = Math.min(request.maxTokens ?? defaultMaxTokens, spec.maxOutputTokens);
      let usage = ZERO;
      let nudge: string | undefined;
      let last: { kind: 'prose' | 'truncated'; detail: string } | undefined;
      for (let asked = 0; asked < maxAsks; asked++) {
        const params = shapeRequest(spec, {
          model,
          tool,
          system: request.system,
          user: request.user,
          context: request.context,
          reasoning: request.reasoning,
          maxTokens,
          cache,
          nudge,
        });
        const message = await ask(params, request.signal);
        usage = addUsage(usage, usageOf(message));
        if (message.stop_reason === 'refusal') {
          if (fallback && model !== options.fallbackModel && options.fallbackModel) {
            logger.warn(
              { tool: tool.name, model, fallback: options.fallbackModel },
              'refused; asking the fallback model',
            );
            model = options.fallbackModel;
            spec = fallback;
            maxTokens = Math.min(maxTokens, spec.maxOutputTokens);
            continue;
          }
          throw new LlmNoAnswerError(
            `${message.model} refused to answer (stop_reason refusal${refusalDetail(message)})`,
            'refusal',
            usage,
            message.model,
          );
        }
        const call = findToolCall(message, tool);
        if (message.stop_reason === 'max_tokens') {
          // A tool input cut off mid-way is incomplete whatever it parses to: ask again with more room.
          last = { kind: 'truncated', detail: `cut off at max_tokens ${params.max_tokens}` };
          nudge = nudgeFor(tool.name, 'truncated');
          maxTokens = Math.min(maxTokens * 2, spec.maxOutputTokens);
          continue;
        }
        if (!call) {
          last = { kind: 'prose', detail: describeNoCall(message) };
          nudge = nudgeFor(tool.name, 'prose');
          continue;
        }
        const input = validateToolInput(call, tool, usage, message.model);
        return { input, usage, model: message.model };
      }
      throw new LlmNoAnswerError(
        `no usable ${tool.name} call in ${maxAsks} answers (the last ${last?.detail ?? 'gave none'})`,
        last?.kind ?? 'prose',
        usage,
        model,
      );
    },
  };
}

function describeNoCall(message: Anthropic.Message): string {
  const other = message.content.find((block) => block.type === 'tool_use');
  if (other) return `called tool "${other.name}" instead`;
  const text = message.content
    .flatMap((block) => (block.type === 'text' ? [block.text] : []))
    .join(' ')
    .slice(0, 200);
  return `answered in prose (stop_reason ${message.stop_reason}${text ? `, text: ${JSON.stringify(text)}` : ''})`;
}

function toolName(params: Anthropic.MessageCreateParamsNonStreaming): string | undefined {
  const tool = params.tools?.[0];
  return tool && 'name' in tool ? tool.name : undefined;
}
