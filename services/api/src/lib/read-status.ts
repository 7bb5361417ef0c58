import {
  MANUAL_QUEUE,
  PROJECT_STATUSES,
  QUEUE_STATES,
  type QueueCounts,
  STATUS_QUEUES,
  type Status,
} from '@hardfix/contracts';
import {
  type LlmPause,
  type ManualQueue,
  type PublishedSandboxHealth,
  STATS,
  type StageQueues,
} from '@hardfix/core';

export interface StatusSources {
  queues: StageQueues;
  /** Reviewers' fixes waiting for or under verification by a worker. */
  manualQueue: ManualQueue;
  /** The stats hash (ProjectStore.counters()): maintained on every transition, so reading it is O(1). */
  counters: () => Promise<Record<string, number>>;
  llmConfigured: boolean;
  llmModel: string;
  /** The spend-limit pause, when one is in force (one GET). */
  llmPause: () => Promise<LlmPause | undefined>;
  /** SANDBOX_MODE: every worker of the deployment runs programs this way. */
  sandboxMode: string;
  /** The workers' published sandbox health (one small hash, one entry per worker process). */
  workersSandbox: () => Promise<PublishedSandboxHealth[]>;
}

/** The raw repair counters the hard-fix rates in /status are computed from; /metrics exposes them too. */
export interface RepairCounters {
  /** Projects repaired (see STATS.projectsRepaired). */
  repaired: number;
  /** Sum, over repaired projects, of the attempt number that worked. */
  attemptSum: number;
  repairedFromLibrary: number;
  /** Hard-fix rounds that used up their attempts and went to manual review. */
  exhausted: number;
}

export interface StatusReading {
  status: Status;
  repairCounters: RepairCounters;
}

/**
 * Everything /status and /metrics show, from counters only: one HGETALL of the stats hash and
 * BullMQ's per-state counts (LLEN/ZCARD), so the cost does not grow with jobs, projects or fixes.
 */
export async function readStatus(sources: StatusSources): Promise<StatusReading> {
  const [counters, workers, pause, ...jobCounts] = await Promise.all([
    sources.counters(),
    sources.workersSandbox(),
    sources.llmPause(),
    ...STATUS_QUEUES.map((q) =>
      (q === MANUAL_QUEUE ? sources.manualQueue : sources.queues[q]).getJobCounts(...QUEUE_STATES),
    ),
  ]);
  const c = (name: string) => counters[name] ?? 0;
  const queues = Object.fromEntries(
    STATUS_QUEUES.map((q, i) => [
      q,
      Object.fromEntries(QUEUE_STATES.map((s) => [s, jobCounts[i]?.[s] ?? 0])) as QueueCounts,
    ]),
  ) as Status['queues'];
  const projects = Object.fromEntries([
    ...PROJECT_STATUSES.map((s) => [s, c(STATS.projectsIn(s))]),
    ['total', c(STATS.projectsTotal)],
  ]) as Status['projects'];
  const repairCounters: RepairCounters = {
    repaired: c(STATS.projectsRepaired),
    attemptSum: c(STATS.repairAttemptSum),
    repairedFromLibrary: c(STATS.projectsRepairedFromLibrary),
    exhausted: c(STATS.exhausted),
  };
  const kind = sources.sandboxMode;
  return {
    status: {
      queues,
      hardFix: {
        activeFixes: projects['hard-fix'],
        librarySize: c(STATS.librarySize),
        ...hardFixRates(repairCounters),
        manualReview: projects['manual-review'],
      },
      projects,
      llm: {
        configured: sources.llmConfigured,
        calls: c(STATS.llmCalls),
        inputTokens: c(STATS.llmInputTokens),
        outputTokens: c(STATS.llmOutputTokens),
        cacheWriteTokens: c(STATS.llmCacheWriteTokens),
        cacheReadTokens: c(STATS.llmCacheReadTokens),
        estimatedCostUsd: c(STATS.llmCostMicroUsd) / 1e6,
        costPerDeliveredProjectUsd:
          projects.delivered > 0 ? c(STATS.llmCostMicroUsd) / 1e6 / projects.delivered : 0,
        budgetStops: c(STATS.budgetStops),
        model: sources.llmModel,
        cacheReadShare: share(
          c(STATS.llmCacheReadTokens),
          c(STATS.llmInputTokens) + c(STATS.llmCacheWriteTokens) + c(STATS.llmCacheReadTokens),
        ),
        paused: pause ?? null,
      },
      sandbox: {
        kind,
        // Only bubblewrap gives a program a network namespace of its own (with no route out).
        network: kind !== 'bubblewrap',
        insecure: kind !== 'bubblewrap',
        workers: workers.map(({ expiresAt: _, ...w }) => w),
      },
    },
    repairCounters,
  };
}

function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** The definitions in README "Watching it"; a rate with nothing to divide by is 0, not NaN. */
export function hardFixRates(counters: RepairCounters) {
  const { repaired, repairedFromLibrary, attemptSum, exhausted } = counters;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    reuseRate: ratio(repairedFromLibrary, repaired),
    averageAttempts: ratio(attemptSum, repaired),
    successRate: ratio(repaired, repaired + exhausted),
  };
}
