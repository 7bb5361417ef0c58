import { retryAfterMsFrom } from './map-sdk-error.js';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Spend-limit codes (map-sdk-error.ts): "Retrying, including the SDKs' automatic retries, fails". */
const NO_RETRY_CODES = /"error_code"\s*:\s*"(enforced_spend_limit_reached|contract_spend_limit_reached)"/;

function refuseRetry(response: Response, body: ConstructorParameters<typeof Response>[0]): Response {
  const headers = new Headers(response.headers);
  headers.set('x-should-retry', 'false');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The SDK retries a 429 by itself, sleeping as long as `retry-after` says and holding a worker slot all
 * the while. This marks a response `x-should-retry: false`, so the SDK gives up at once and the queue
 * decides: past `maxWaitMs` of `retry-after` (the error still carries the server's wait), and for a
 * spend limit, which no retry can pass (rate-limits page), so a pool of workers does not hammer it.
 */
export function capRetryWait(maxWaitMs: number, inner: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok) return response;
    if (response.status === 429) {
      const text = await response.text();
      if (NO_RETRY_CODES.test(text)) return refuseRetry(response, text);
      const wait = retryAfterMsFrom(response.headers);
      if (wait !== undefined && wait > maxWaitMs) return refuseRetry(response, text);
      return new Response(text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    const wait = retryAfterMsFrom(response.headers);
    if (wait === undefined || wait <= maxWaitMs) return response;
    return refuseRetry(response, response.body);
  };
}
