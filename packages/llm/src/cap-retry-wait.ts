import { retryAfterMsFrom } from './map-sdk-error.js';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The SDK sleeps as long as `retry-after` says before retrying, holding a worker slot all the while.
 * Past `maxWaitMs` this marks the response `x-should-retry: false`, so the SDK gives up at once and the
 * queue waits instead (the error still carries the server's retry-after).
 */
export function capRetryWait(maxWaitMs: number, inner: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (response.ok) return response;
    const wait = retryAfterMsFrom(response.headers);
    if (wait === undefined || wait <= maxWaitMs) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
