import type { Project, ProjectEventView, ProjectView } from '@hardfix/contracts';

/**
 * The public view is built field by field, not by stripping: a field added to the record later
 * (a secret, a large blob) stays private until someone decides to publish it.
 */
export function toProjectView(p: Project, events?: ProjectEventView[]): ProjectView {
  return {
    id: p.id,
    name: p.name,
    language: p.language,
    status: p.status,
    stage: p.stage,
    attempts: p.attempts,
    ...(p.delivery ? { delivery: { path: p.delivery.path } } : {}),
    ...(p.parked ? { parked: p.parked } : {}),
    ...(p.dependencies ? { dependencies: p.dependencies } : {}),
    ...(p.analysis
      ? {
          analysis: {
            confidence: p.analysis.confidence,
            diagnosis: p.analysis.diagnosis,
            plan: p.analysis.plan,
          },
        }
      : {}),
    ...(p.abandonReason ? { abandonReason: p.abandonReason } : {}),
    ...(events ? { events } : {}),
    ...(p.reviewReason ? { reviewReason: p.reviewReason } : {}),
    ...(p.testFiles ? { tests: p.testFiles.length > 0 ? { files: p.testFiles } : ('none' as const) } : {}),
    usage: {
      calls: p.usage.calls,
      inputTokens: p.usage.inputTokens,
      outputTokens: p.usage.outputTokens,
      cacheWriteTokens: p.usage.cacheWriteTokens,
      cacheReadTokens: p.usage.cacheReadTokens,
      estimatedCostUsd: p.usage.costMicroUsd / 1e6,
    },
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
