import type { Redis } from 'ioredis';
import { keys } from './keys.js';
import { RedisHistogram } from './redis-histogram.js';

/**
 * The duration histograms: observed by the worker, rendered by the API's /metrics. Defined once here
 * so both processes agree on names, labels and buckets.
 */
export const DURATION_METRICS = {
  stage: {
    name: 'hardfix_stage_duration_seconds',
    help: 'Time one stage job took in the worker (an attempt: LLM call, verification, hand-off)',
    labelNames: ['stage'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  },
  verification: {
    name: 'hardfix_verification_duration_seconds',
    help: 'Time one sandboxed verification run took',
    labelNames: ['language', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  },
  llmCall: {
    name: 'hardfix_llm_call_duration_seconds',
    help: 'Time one forced-tool LLM call took, including the SDK client retries',
    labelNames: ['tool'] as const,
    buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
  },
};

type Defs = typeof DURATION_METRICS;
export type DurationMetrics = {
  [K in keyof Defs]: RedisHistogram<Defs[K]['labelNames'][number]>;
};

export function createDurationMetrics(
  redis: Redis,
  prefix: string,
  onError?: (err: unknown) => void,
): DurationMetrics {
  const { histogram } = keys(prefix);
  const make = <L extends string>(def: { name: string; labelNames: readonly L[]; buckets: number[] }) =>
    new RedisHistogram<L>(redis, {
      key: histogram(def.name),
      labelNames: def.labelNames,
      buckets: def.buckets,
      ...(onError ? { onError } : {}),
    });
  return {
    stage: make(DURATION_METRICS.stage),
    verification: make(DURATION_METRICS.verification),
    llmCall: make(DURATION_METRICS.llmCall),
  };
}
