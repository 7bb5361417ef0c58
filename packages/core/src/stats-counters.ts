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
  /**
   * Projects repaired: by a hard-fix success, or by a library fix applied at the first failure of any
   * stage (counted once per project). The key keeps its first name so existing counts carry on.
   */
  projectsRepaired: 'hardfix:successes',
  /** Sum over repaired projects of the hard-fix attempt number that worked (1 for a first-failure library fix). */
  repairAttemptSum: 'hardfix:attempts',
  /** The repaired projects whose repair was a library fix. */
  projectsRepairedFromLibrary: 'hardfix:library-successes',
  /** Hard-fix rounds that used up their attempts and went to manual review. */
  exhausted: 'hardfix:exhausted',
} as const;
