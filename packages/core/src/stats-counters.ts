/**
 * Field names of the stats hash (`keys(prefix).stats`) that TypeScript code writes or reads. The Lua
 * scripts of the project store and the fix library keep `projects:<status>`, `projects:total` and
 * `fixes:*` themselves; the names are listed here so readers and writers cannot drift apart.
 */
export const STATS = {
  projectsTotal: 'projects:total',
  projectsIn: (status: string) => `projects:${status}`,
  librarySize: 'fixes:total',
  llmCalls: 'llm:calls',
  llmInputTokens: 'llm:inputTokens',
  llmOutputTokens: 'llm:outputTokens',
  llmCacheWriteTokens: 'llm:cacheWriteTokens',
  llmCacheReadTokens: 'llm:cacheReadTokens',
  /** Estimated spend in millionths of a dollar (integer, so HINCRBY keeps it exact). */
  llmCostMicroUsd: 'llm:costMicroUsd',
  /** Projects stopped at PROJECT_TOKEN_BUDGET / PROJECT_COST_BUDGET_USD. */
  budgetStops: 'projects:budget-stops',
  /** Repairs: hard-fix successes and library fixes applied at the first failure of any stage. */
  repairs: 'hardfix:successes',
  /** Sum over repairs of the hard-fix attempt number that worked (1 for a first-failure library fix). */
  repairAttempts: 'hardfix:attempts',
  libraryRepairs: 'hardfix:library-successes',
  /** Hard-fix rounds that used up their attempts and went to manual review. */
  exhausted: 'hardfix:exhausted',
} as const;
