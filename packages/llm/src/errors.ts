/** Token counts of one call; present on every answer, including invalid ones (the tokens were spent). */
export interface LlmUsage {
  /** Input tokens billed at the full rate (the API's `input_tokens`: cached tokens are not in it). */
  inputTokens: number;
  outputTokens: number;
  /** `cache_creation_input_tokens`: written to the prompt cache (billed at 1.25x input). */
  cacheWriteTokens: number;
  /** `cache_read_input_tokens`: read from the prompt cache (billed at 0.1x input). */
  cacheReadTokens: number;
}

export type LlmErrorCode =
  | 'llm_transient'
  | 'llm_auth'
  | 'llm_invalid_answer'
  | 'llm_not_configured'
  | 'llm_request'
  | 'llm_no_answer'
  | 'llm_spend_limit';

/** Base class so callers can tell LLM failures apart from everything else with one `instanceof`. */
export abstract class LlmError extends Error {
  abstract readonly code: LlmErrorCode;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    // The subclass's own name (LlmAuthError, ...), as logs and stack traces show it.
    this.name = new.target.name;
  }
}

/** An error the API answered with an HTTP status (or, for a key that is missing, none). */
abstract class LlmStatusError extends LlmError {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export type LlmTransientKind = 'rate_limit' | 'overloaded' | 'server' | 'timeout' | 'connection';

/**
 * The API could not answer now (rate limit, overload, 5xx, timeout, connection), after the SDK's own
 * retries. Retry later; it must not consume a pipeline attempt.
 */
export class LlmTransientError extends LlmError {
  readonly code = 'llm_transient';
  constructor(
    message: string,
    readonly kind: LlmTransientKind,
    /** What the server asked for (`retry-after-ms` / `retry-after`), when it said. */
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The key is missing, wrong or lacks permission (401/403): no retry helps until an operator acts. */
export class LlmAuthError extends LlmStatusError {
  readonly code = 'llm_auth';
}

/** The model called the tool, but its input does not match the tool's schema. Counts as a failed attempt. */
export class LlmInvalidAnswerError extends LlmError {
  readonly code = 'llm_invalid_answer';
  constructor(
    message: string,
    readonly usage: LlmUsage,
    readonly model: string,
    /** Dotted paths of the input fields that failed the schema (empty when there was no tool call). */
    readonly fields: string[] = [],
  ) {
    super(message);
  }
}

/** No ANTHROPIC_API_KEY: LLM stages are off; work that needs them should be parked, not failed. */
export class LlmNotConfiguredError extends LlmError {
  readonly code = 'llm_not_configured';
  constructor(message = 'The LLM is not configured: set ANTHROPIC_API_KEY to enable the LLM stages') {
    super(message);
  }
}

/** The API rejected the request itself (400 bad request, 404 unknown model, ...): retrying cannot help. */
export class LlmRequestError extends LlmStatusError {
  readonly code = 'llm_request';
}

/** Why a model's answers held no tool call to use. */
export type NoAnswerKind = 'prose' | 'truncated' | 'refusal';

/**
 * The model kept answering without a usable tool call: in prose only, cut off at max_tokens, or with
 * a refusal (`stop_reason: "refusal"`), after the client asked again as often as it may. Not the
 * program's fault, so no attempt is used: the work is parked with this reason and asked again later.
 */
export class LlmNoAnswerError extends LlmError {
  readonly code = 'llm_no_answer';
  constructor(
    message: string,
    readonly kind: NoAnswerKind,
    /** Every call's tokens, summed: they were paid for. */
    readonly usage: LlmUsage,
    readonly model: string,
  ) {
    super(message);
  }
}

/**
 * The organisation has reached a spend limit (the API's 429 `enforced_spend_limit_reached` or
 * `contract_spend_limit_reached`, or a 400 for a limit the organisation set itself). No call can
 * succeed until an operator raises the limit or the period ends, so every LLM stage pauses.
 */
export class LlmSpendLimitError extends LlmStatusError {
  readonly code = 'llm_spend_limit';
}
