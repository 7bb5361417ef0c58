import type { StrategyTier } from '@hardfix/contracts';

/** The seed's escalation: 1-5 conservative, 6-10 moderate, 11-15 aggressive, 16 and on nuclear. */
export function tierForAttempt(n: number): StrategyTier {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`attempt number must be a positive integer, got ${n}`);
  if (n <= 5) return 'conservative';
  if (n <= 10) return 'moderate';
  if (n <= 15) return 'aggressive';
  return 'nuclear';
}

/**
 * The seed's escalation per tier (the original Python system's guide, "Escalating Fix Attempts"), reworded where
 * the seed licensed dropping behaviour ("Remove incomplete implementations", "basic functionality only",
 * "Absolute minimal implementation"): a later tier may change more, more boldly, but "simpler" is always
 * a simpler way to pass the same tests.
 */
export const TIER_INSTRUCTIONS: Record<StrategyTier, string> = {
  conservative:
    'Fix syntax errors only. Keep all logic intact. Remove TODO comments and placeholders. Ensure proper indentation and brackets.',
  moderate:
    'Rewrite the problematic section. Complete any incomplete implementation. Use only standard library functions.',
  aggressive:
    'Complete rewrite of this code block. Take a DIFFERENT, SIMPLER approach that still does everything the request and the tests require.',
  nuclear:
    'START FROM SCRATCH for this section. The simplest implementation that still does everything the request and the tests require. Must be syntactically perfect.',
};
