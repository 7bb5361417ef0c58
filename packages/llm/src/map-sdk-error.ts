import {
  AnthropicError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import {
  LlmAuthError,
  type LlmError,
  LlmRequestError,
  LlmSpendLimitError,
  LlmTransientError,
} from './errors.js';

/** The wait the server asked for: `retry-after-ms` first (the SDK's preference), then `retry-after`. */
export function retryAfterMsFrom(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The API's codes for an organisation out of spend (https://platform.claude.com/docs/en/api/rate-limits,
 * the SDK's error classes): a 429 that no retry helps, so it must not be treated as a rate limit.
 */
const SPEND_LIMIT_CODES = new Set([
  'enforced_spend_limit_reached',
  'contract_spend_limit_reached',
  'linked_organization_spend_limit_reached',
]);

/**
 * A limit the organisation set itself answers 400 with no code, only this wording (rate-limits page:
 * "You have reached your specified API usage limits", or "specified workspace API usage limits").
 */
const OWN_LIMIT_MESSAGE = /^You have reached your specified (workspace )?API usage limits/;

/** The code of a spend-limit error: from the SDK's `errorCode`, or read from the raw body. */
export function spendLimitCode(err: APIError): string | undefined {
  const body = err.error as { error?: { details?: { error_code?: unknown } } } | undefined;
  const code = err.errorCode ?? body?.error?.details?.error_code;
  if (typeof code === 'string' && SPEND_LIMIT_CODES.has(code)) return code;
  if (err.status === 400 && OWN_LIMIT_MESSAGE.test(err.apiMessage ?? ''))
    return 'specified_usage_limit_reached';
  return undefined;
}

/**
 * Sorts an SDK failure (thrown after the SDK's own retries) into what the pipeline does next.
 * The caller's own abort is not an LLM failure and is rethrown unchanged.
 */
export function mapSdkError(err: unknown): LlmError | unknown {
  if (err instanceof APIUserAbortError) return err;
  if (err instanceof APIConnectionTimeoutError)
    return new LlmTransientError(`Anthropic API timed out: ${err.message}`, 'timeout', undefined, {
      cause: err,
    });
  if (err instanceof APIConnectionError)
    return new LlmTransientError(`Cannot reach the Anthropic API: ${err.message}`, 'connection', undefined, {
      cause: err,
    });
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const detail = `Anthropic API ${status}${err.type ? ` ${err.type}` : ''}: ${err.apiMessage ?? err.message}`;
    const retryAfterMs = retryAfterMsFrom(err.headers);
    const spendLimit = spendLimitCode(err);
    if (spendLimit) return new LlmSpendLimitError(`${detail} (${spendLimit})`, status, { cause: err });
    if (status === 429 || err.type === 'rate_limit_error')
      return new LlmTransientError(detail, 'rate_limit', retryAfterMs, { cause: err });
    if (status === 529 || err.type === 'overloaded_error')
      return new LlmTransientError(detail, 'overloaded', retryAfterMs, { cause: err });
    if (status === 408) return new LlmTransientError(detail, 'timeout', retryAfterMs, { cause: err });
    // 409 is a lock timeout on Anthropic's side, which the SDK also treats as retryable.
    if (status >= 500 || status === 409)
      return new LlmTransientError(detail, 'server', retryAfterMs, { cause: err });
    if (
      status === 401 ||
      status === 403 ||
      err.type === 'authentication_error' ||
      err.type === 'permission_error'
    )
      return new LlmAuthError(detail, status, { cause: err });
    return new LlmRequestError(detail, status, { cause: err });
  }
  // Raised by the SDK before sending (bad options, a request it refuses to make): a bug, not a blip.
  if (err instanceof AnthropicError) return new LlmRequestError(err.message, undefined, { cause: err });
  return err;
}
