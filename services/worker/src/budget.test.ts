import type { Project } from '@hardfix/contracts';
import { describe, expect, it } from 'vitest';
import { overBudget } from './budget.js';

const usage = (tokens: number, costMicroUsd: number) => ({
  calls: 1,
  inputTokens: tokens / 2,
  cacheWriteTokens: tokens / 4,
  cacheReadTokens: tokens / 4,
  outputTokens: 0,
  costMicroUsd,
});
const project = (u: Project['usage'], budgetFrom?: Project['budgetFrom']) =>
  ({ usage: u, ...(budgetFrom ? { budgetFrom } : {}) }) as Project;
const env = (tokens: number, usd?: number) => ({
  env: { PROJECT_TOKEN_BUDGET: tokens, ...(usd === undefined ? {} : { PROJECT_COST_BUDGET_USD: usd }) },
});

describe('overBudget', () => {
  it('counts every token paid for: input, cache writes and reads, output', () => {
    expect(overBudget(env(1000) as never, project(usage(999, 0)))).toBeUndefined();
    expect(overBudget(env(1000) as never, project(usage(1000, 0)))).toBe(
      'spent 1000 tokens of its PROJECT_TOKEN_BUDGET of 1000',
    );
  });

  it('caps the estimated cost when PROJECT_COST_BUDGET_USD is set', () => {
    expect(overBudget(env(1e9) as never, project(usage(10, 2_000_000)))).toBeUndefined();
    expect(overBudget(env(1e9, 2) as never, project(usage(10, 2_000_000)))).toBe(
      'spent an estimated $2.0000 of its PROJECT_COST_BUDGET_USD of $2',
    );
  });

  it('counts from what was spent when a reviewer last sent the project back', () => {
    const spent = project(usage(1500, 3_000_000), { tokens: 1000, costMicroUsd: 2_000_000 });
    expect(overBudget(env(1000, 2) as never, spent)).toBeUndefined();
    expect(overBudget(env(500, 2) as never, spent)).toMatch(/^spent 500 tokens/);
  });
});
