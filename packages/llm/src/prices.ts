import type { LlmUsage } from './errors.js';
import { modelSpec } from './models.js';

/**
 * The estimated cost of one call in millionths of a dollar (an integer, so Redis can add it exactly),
 * at the model's list prices (models.ts): input at the input rate, cache writes at the 5-minute write
 * rate, cache reads at the read rate, output (thinking included) at the output rate, and the long-context
 * rates when the prompt is above the model's threshold. An unknown model is priced at the highest rate.
 */
export function costMicroUsd(model: string, usage: LlmUsage): number {
  const { price } = modelSpec(model);
  const prompt = usage.inputTokens + usage.cacheWriteTokens + usage.cacheReadTokens;
  const long =
    price.longContext && prompt > price.longContext.aboveInputTokens ? price.longContext : undefined;
  const scale = long ? long.input / price.input : 1;
  // Dollars per million tokens are micro-dollars per token.
  return Math.round(
    usage.inputTokens * price.input * scale +
      usage.cacheWriteTokens * price.cacheWrite5m * scale +
      usage.cacheReadTokens * price.cacheRead * scale +
      usage.outputTokens * (long ? long.output : price.output),
  );
}

/**
 * The tokens of one call as a token budget counts them: input and output in full, cache writes and
 * reads weighted by their price against the input price, so a budget in tokens follows the bill.
 */
export function budgetTokensOf(model: string, usage: LlmUsage): number {
  const { price } = modelSpec(model);
  return (
    usage.inputTokens +
    usage.outputTokens +
    (usage.cacheWriteTokens * price.cacheWrite5m) / price.input +
    (usage.cacheReadTokens * price.cacheRead) / price.input
  );
}
