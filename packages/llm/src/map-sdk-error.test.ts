import { describe, expect, it } from 'vitest';
import { retryAfterMsFrom } from './map-sdk-error.js';

describe('retryAfterMsFrom', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('prefers retry-after-ms, then retry-after seconds, then an HTTP date', () => {
    expect(retryAfterMsFrom(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMsFrom(new Headers({ 'retry-after': '1.5' }), now)).toBe(1_500);
    expect(retryAfterMsFrom(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:20 GMT' }), now)).toBe(
      20_000,
    );
  });

  it('is undefined when the server gave no usable wait', () => {
    expect(retryAfterMsFrom(new Headers(), now)).toBeUndefined();
    expect(retryAfterMsFrom(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMsFrom(undefined, now)).toBeUndefined();
  });
});
