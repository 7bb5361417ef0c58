import { describe, expect, it } from 'vitest';
import { createPromptCache } from './fake-prompt-cache.js';

const body = (system: string, cached: boolean, tail = 'attempt 1') => ({
  model: 'claude-sonnet-5-5',
  system: [{ type: 'text', text: system, ...(cached ? { cache_control: { type: 'ephemeral' } } : {}) }],
  messages: [{ role: 'user', content: [{ type: 'text', text: tail }] }],
});

describe('the fake prompt cache', () => {
  it('writes a prefix once, reads it within the TTL, and forgets it after', () => {
    const cache = createPromptCache({ minTokens: 100, ttlMs: 1_000 });
    const system = 'x'.repeat(2_000);
    const first = cache.usage(body(system, true), 600, 0);
    expect(first.cache_creation_input_tokens).toBeGreaterThan(450);
    expect(first.cache_read_input_tokens).toBe(0);
    expect(first.input_tokens + first.cache_creation_input_tokens).toBe(600);

    const second = cache.usage(body(system, true, 'attempt 2'), 600, 500);
    expect(second.cache_read_input_tokens).toBe(first.cache_creation_input_tokens);
    expect(second.cache_creation_input_tokens).toBe(0);
    // The read at 500 ms refreshed it; 1.4 s is within a TTL of that, 3 s is not.
    expect(cache.usage(body(system, true), 600, 1_400).cache_read_input_tokens).toBeGreaterThan(0);
    expect(cache.usage(body(system, true), 600, 3_000).cache_read_input_tokens).toBe(0);
  });

  it('caches nothing without a breakpoint or below the minimum length', () => {
    const cache = createPromptCache({ minTokens: 1_024, ttlMs: 60_000 });
    for (let i = 0; i < 2; i++) {
      expect(cache.usage(body('x'.repeat(2_000), true), 600)).toMatchObject({
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        input_tokens: 600,
      });
      expect(cache.usage(body('y'.repeat(8_000), false), 2_100)).toMatchObject({
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      });
    }
  });

  it('a different prefix (another model, another system prompt) is a miss', () => {
    const cache = createPromptCache({ minTokens: 10, ttlMs: 60_000 });
    cache.usage(body('a'.repeat(400), true), 200);
    expect(cache.usage(body('b'.repeat(400), true), 200).cache_read_input_tokens).toBe(0);
    expect(
      cache.usage({ ...body('a'.repeat(400), true), model: 'claude-opus-4-5' }, 200).cache_read_input_tokens,
    ).toBe(0);
    expect(cache.usage(body('a'.repeat(400), true), 200).cache_read_input_tokens).toBeGreaterThan(0);
  });
});
