/** Error statuses the fake can answer with, each with the Anthropic error type the real API uses. */
export const FAKE_ERROR_TYPES = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
} as const;
export type FakeErrorStatus = keyof typeof FAKE_ERROR_TYPES;

export type RefusalCategory = 'cyber' | 'bio' | 'frontier_llm' | 'reasoning_extraction' | 'general_harms';

/**
 * One scripted answer of the fake Messages API. When the request's model thinks by default (see
 * model-rules.ts), answers other than refusals and errors start with a `thinking` block (empty text and a
 * signature, as at the default `display: "omitted"`), and its tokens count as output.
 * - `tool`: a tool_use block for the request's tool (the one tool offered, or the forced one); the input is
 *   checked against the contract schema of that tool (when it is one of ours), so a typo in a test fails
 *   loudly instead of testing the wrong thing.
 * - `toolRaw`: a tool_use block with any input (to provoke schema failures), optionally under another name.
 * - `text`: the prose-only answer: a text block, `stop_reason: "end_turn"`, no tool call (what a model may do
 *   under `tool_choice: auto`).
 * - `truncated`: the answer stopped at `max_tokens` inside the tool call: `stop_reason: "max_tokens"`, the
 *   tool input JSON cut after `keepChars` characters (default half). The stream sends the cut JSON as
 *   `input_json_delta` chunks; the tool_use `input` (both paths) is what the SDK's partial-JSON parser makes
 *   of it (cut strings are dropped), and output tokens equal `max_tokens`.
 * - `refusal`: `stop_reason: "refusal"` with `stop_details {type: "refusal", category, explanation}`, and
 *   a text block only when `text` is given (the classifiers may stop a reply before it says anything).
 * - `status`: an Anthropic error response; `retryAfterSeconds` sets `retry-after`, `retryAfterMs` sets
 *   `retry-after-ms` (the SDK prefers the latter and ignores a zero value), `shouldRetry` sets
 *   `x-should-retry`, `errorCode` sets `error.details.error_code` (the SDK's `err.errorCode`; see
 *   {@link spendLimitReached}).
 * - `streamError`: the error the API can send inside a stream that has started (`event: error` after
 *   `message_start`, which the SDK raises as an `APIError` without a status); a non-streaming request gets
 *   the same error as its HTTP status (529 overloaded_error, 500 api_error).
 * - `delayMs` + `then`: wait before answering (to provoke client timeouts).
 */
export type FakeReply =
  | { tool: unknown }
  | { toolRaw: unknown; name?: string }
  | { text: string }
  | { truncated: unknown; keepChars?: number; name?: string }
  | { refusal: true; category?: RefusalCategory | null; explanation?: string | null; text?: string }
  | {
      status: FakeErrorStatus;
      message?: string;
      errorCode?: string;
      retryAfterSeconds?: number;
      retryAfterMs?: number;
      shouldRetry?: boolean;
    }
  | { streamError: 'overloaded_error' | 'api_error'; message?: string }
  | { delayMs: number; then: FakeReply };

/** The replies that produce a message (not an error, not a delay). */
export type AnswerReply = Exclude<
  FakeReply,
  { status: unknown } | { streamError: unknown } | { delayMs: unknown }
>;

/**
 * The organisation's spend limit: a 429 `rate_limit_error` whose `error.details.error_code` is
 * `enforced_spend_limit_reached` (the SDK raises `EnforcedSpendLimitReachedError`, a `RateLimitError`).
 */
export const spendLimitReached = (
  options: { retryAfterSeconds?: number; shouldRetry?: boolean } = {},
): FakeReply => ({
  status: 429,
  errorCode: 'enforced_spend_limit_reached',
  message: 'This organization has crossed the monthly API usage threshold of its API tier.',
  ...options,
});

/** What a handler (and the recorded request log) sees of one `POST /v1/messages`. */
export interface FakeRequest {
  /**
   * The request's tool: the one forced by `tool_choice: {type: 'tool', name}`, else the single tool in
   * `tools` (under `tool_choice` auto or absent); undefined when neither names exactly one.
   */
  toolName: string | undefined;
  /** The system prompt as one string (text blocks joined). */
  system: string;
  messages: unknown[];
  /** The text of the last user message (text blocks joined). */
  userText: string;
  /** Parsed from the `Project: <name>` line of the user message, when present. */
  projectName: string | undefined;
  /** Parsed from the `Language: <language>` line of the user message, when present. */
  language: string | undefined;
  /** The whole parsed JSON body. */
  body: Record<string, unknown>;
  /** Request headers without secrets (`x-api-key`, `authorization` removed). */
  headers: Record<string, string>;
}

export type FakeHandler = (req: FakeRequest) => FakeReply | undefined | Promise<FakeReply | undefined>;

export interface FakeAnthropicOptions {
  /** When set, requests whose key (`x-api-key` or `Authorization: Bearer`) differs get a 401 authentication_error. */
  apiKey?: string;
  /**
   * Answers requests that no queued reply covers; returning undefined falls back to the simulated Claude.
   * @defaultValue the simulated Claude responder
   */
  handler?: FakeHandler;
  /** @defaultValue 0 (a random free port) */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /**
   * The shortest prefix (in estimated tokens) the prompt cache keeps, for every model.
   * @defaultValue the request model's documented minimum (model-rules.ts; 512 for claude-sonnet-5-5)
   */
  cacheMinTokens?: number;
  /** How long a cached prefix lives after its last use. @defaultValue 300000 (the API's 5 minutes) */
  cacheTtlMs?: number;
}

export interface FakeAnthropic {
  /** Base URL for `new Anthropic({ baseURL })`, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Every `POST /v1/messages`, in arrival order (including those answered with an error). */
  readonly requests: readonly FakeRequest[];
  /** Queue replies for a tool, consumed in order before the handler is asked. */
  enqueue(toolName: string, ...replies: FakeReply[]): void;
  /** Replaces the handler; undefined restores the simulated Claude. */
  setHandler(handler: FakeHandler | undefined): void;
  callsFor(toolName: string): FakeRequest[];
  /** Forgets recorded requests, queued replies and the prompt cache (the handler stays). */
  reset(): void;
  close(): Promise<void>;
}
