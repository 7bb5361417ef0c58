import { type Project, tokensSpent } from '@hardfix/contracts';
import type { StageDeps } from './deps.js';
import { carryOut } from './hand-off.js';

/** The project has spent its budget: it went to manual review and no more calls are made for it. */
export class BudgetReachedError extends Error {
  readonly code = 'budget_reached';
  constructor(
    readonly projectId: string,
    message: string,
  ) {
    super(message);
    this.name = 'BudgetReachedError';
  }
}

/** Why the project may not call the model again, or undefined while it is within its budget. */
export function overBudget(deps: Pick<StageDeps, 'env'>, project: Project): string | undefined {
  // Since a reviewer's last retry, if any: each round gets the whole budget.
  const spent = tokensSpent(project.usage) - (project.budgetFrom?.tokens ?? 0);
  if (spent >= deps.env.PROJECT_TOKEN_BUDGET)
    return `spent ${spent} tokens of its PROJECT_TOKEN_BUDGET of ${deps.env.PROJECT_TOKEN_BUDGET}`;
  const limit = deps.env.PROJECT_COST_BUDGET_USD;
  const usd = (project.usage.costMicroUsd - (project.budgetFrom?.costMicroUsd ?? 0)) / 1e6;
  if (limit !== undefined && usd >= limit)
    return `spent an estimated $${usd.toFixed(4)} of its PROJECT_COST_BUDGET_USD of $${limit}`;
  return undefined;
}

/**
 * Checked before every model call: a project at its budget goes to manual review with the reason
 * "budget" (counted once, with the transition) and the call is not made.
 */
export async function ensureWithinBudget(deps: StageDeps, project: Project): Promise<void> {
  const why = overBudget(deps, project);
  if (!why) return;
  const projectId = project.id;
  await carryOut(deps, projectId, project.stage, { kind: 'manual-review', reason: 'budget' }, project);
  deps.logger.warn({ projectId, why }, 'budget reached: waiting for manual review');
  throw new BudgetReachedError(projectId, `project ${projectId} ${why}`);
}
