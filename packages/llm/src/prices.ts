import type { LlmUsage } from './errors.js';

/** US dollars per million tokens. Cache writes (5-minute TTL) cost 1.25x input, cache reads 0.1x. */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * List prices by model family (Anthropic's pricing page, per million tokens), matched by the longest
 * prefix of the model id the API reports. An estimate for dashboards and budgets, not an invoice:
 * a model missing here is priced as Sonnet.
 */
export const MODEL_PRICES: Record<string, ModelPrice> = {
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-opus': { input: 15, output: 75 },
  'claude-sonnet': { input: 3, output: 15 },
  'claude-haiku-4': { input: 1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-haiku': { input: 1, output: 5 },
};
const FALLBACK: ModelPrice = { input: 3, output: 15 };

export function priceOf(model: string): ModelPrice {
  const key = Object.keys(MODEL_PRICES)
    .filter((prefix) => model.startsWith(prefix))
    .sort((a, b) => b.length - a.length)[0];
  return (key ? MODEL_PRICES[key] : undefined) ?? FALLBACK;
}

/** The estimated cost of one call in millionths of a dollar (an integer, so Redis can add it exactly). */
export function costMicroUsd(model: string, usage: LlmUsage): number {
  const p = priceOf(model);
  // Dollars per million tokens are micro-dollars per token.
  return Math.round(
    usage.inputTokens * p.input +
      usage.cacheWriteTokens * p.input * 1.25 +
      usage.cacheReadTokens * p.input * 0.1 +
      usage.outputTokens * p.output,
  );
}
