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

/**
 * One scripted answer of the fake Messages API.
 * - `tool`: a tool_use block for the forced tool; the input is checked against the contract schema of
 *   that tool (when it is one of ours), so a typo in a test fails loudly instead of testing the wrong thing.
 * - `toolRaw`: a tool_use block with any input (to provoke schema failures), optionally under another name.
 * - `text`: a text block instead of the forced tool.
 * - `status`: an Anthropic error response; `retryAfterSeconds` sets `retry-after`, `retryAfterMs` sets
 *   `retry-after-ms` (the SDK prefers the latter and ignores a zero value), `shouldRetry` sets `x-should-retry`.
 * - `delayMs` + `then`: wait before answering (to provoke client timeouts).
 */
export type FakeReply =
  | { tool: unknown }
  | { toolRaw: unknown; name?: string }
  | { text: string }
  | {
      status: FakeErrorStatus;
      message?: string;
      retryAfterSeconds?: number;
      retryAfterMs?: number;
      shouldRetry?: boolean;
    }
  | { delayMs: number; then: FakeReply };

/** What a handler (and the recorded request log) sees of one `POST /v1/messages`. */
export interface FakeRequest {
  /** The tool forced by `tool_choice: {type: 'tool', name}`; undefined when no tool is forced. */
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
   * The shortest prefix (in estimated tokens) the prompt cache keeps; the real API's minimum is 1024
   * for Sonnet and Opus (2048 for Haiku).
   * @defaultValue 1024
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
