import type { StrategyTier } from '@hardfix/contracts';
import type { Reasoning } from './request-shape.js';

/**
 * How hard each stage asks the model to think (`output_config.effort`, and up-front thinking where the
 * model can turn it off). Writing a project from a request and diagnosing failed attempts are where
 * thinking pays; a conservative block fix is a small edit, so it is asked cheaply and the bolder tiers
 * think harder. A model without effort or an off-setting simply gets its defaults (request-shape.ts).
 */
export const STAGE_REASONING = {
  generation: { effort: 'medium', think: true },
  analysis: { effort: 'high', think: true },
  smartRetry: { effort: 'high', think: true },
} as const satisfies Record<string, Reasoning>;

export const HARD_FIX_REASONING: Record<StrategyTier, Reasoning> = {
  conservative: { effort: 'low', think: false },
  moderate: { effort: 'medium', think: true },
  aggressive: { effort: 'high', think: true },
  nuclear: { effort: 'high', think: true },
};
