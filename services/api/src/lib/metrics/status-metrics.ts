import { LANGUAGES, PROJECT_STATUSES, QUEUE_STATES, STATUS_QUEUES } from '@hardfix/contracts';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StatusReading } from '../read-status.js';

/**
 * The /status figures as Prometheus series. Running totals kept in Redis are counters (so Grafana
 * can take rate()); levels and ratios are gauges. Values are set from one status reading per scrape.
 */
export function createStatusMetrics(registry: Registry) {
  const registers = [registry];
  const gauge = <L extends string = never>(name: string, help: string, labelNames: L[] = []) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const counter = (name: string, help: string) => new Counter({ name, help, registers });

  const m = {
    queueJobs: gauge('hardfix_queue_jobs', 'Jobs in a stage queue, by BullMQ state', ['queue', 'state']),
    projects: gauge('hardfix_projects', 'Projects by status', ['status']),
    projectsCreated: counter('hardfix_projects_created_total', 'Projects ever created'),
    activeFixes: gauge('hardfix_hard_fix_active_fixes', 'Projects in status hard-fix'),
    librarySize: gauge('hardfix_fix_library_size', 'Proven fixes in the library'),
    reuseRate: gauge(
      'hardfix_hard_fix_reuse_rate',
      'Hard-fix successes from the library / all hard-fix successes',
    ),
    averageAttempts: gauge('hardfix_hard_fix_average_attempts', 'Attempts per hard-fix success'),
    successRate: gauge('hardfix_hard_fix_success_rate', 'Hard-fix successes / (successes + exhausted)'),
    manualReview: gauge('hardfix_manual_review_projects', 'Projects waiting for manual review'),
    successes: counter('hardfix_hard_fix_successes_total', 'Projects the hard-fix stage repaired'),
    librarySuccesses: counter(
      'hardfix_hard_fix_library_successes_total',
      'Hard-fix successes from a library fix',
    ),
    attempts: counter(
      'hardfix_hard_fix_success_attempts_total',
      'Sum of the attempt numbers hard-fix successes took',
    ),
    exhausted: counter('hardfix_hard_fix_exhausted_total', 'Projects that used up their hard-fix attempts'),
    llmConfigured: gauge('hardfix_llm_configured', '1 when ANTHROPIC_API_KEY is set'),
    llmCalls: counter('hardfix_llm_calls_total', 'LLM calls made'),
    llmInputTokens: counter('hardfix_llm_input_tokens_total', 'LLM input tokens used'),
    llmOutputTokens: counter('hardfix_llm_output_tokens_total', 'LLM output tokens used'),
    llmCacheWriteTokens: counter(
      'hardfix_llm_cache_write_tokens_total',
      'LLM input tokens written to the prompt cache',
    ),
    llmCacheReadTokens: counter(
      'hardfix_llm_cache_read_tokens_total',
      'LLM input tokens read from the prompt cache',
    ),
    llmCost: counter(
      'hardfix_llm_estimated_cost_usd_total',
      'Estimated LLM spend in US dollars (price table)',
    ),
    budgetStops: counter(
      'hardfix_budget_stops_total',
      'Projects sent to manual review for reaching their token or cost budget',
    ),
    llmCostPerDelivered: gauge(
      'hardfix_llm_cost_per_delivered_project_usd',
      'Estimated LLM spend / delivered projects',
    ),
    llmCacheReadShare: gauge(
      'hardfix_llm_cache_read_share',
      'Share of all LLM input tokens served from the prompt cache',
    ),
    llmPaused: gauge(
      'hardfix_llm_paused',
      '1 while every LLM stage waits for a spend limit to lift (reason in /status llm.paused)',
    ),
    sandbox: gauge('hardfix_sandbox_info', 'The sandbox in use (always 1)', ['kind', 'network']),
    sandboxInsecure: gauge(
      'hardfix_sandbox_insecure',
      '1 when SANDBOX_MODE=insecure-process: generated code runs without isolation',
    ),
    sandboxWorkers: gauge('hardfix_sandbox_workers', 'Live worker processes by sandbox state', ['state']),
    selfTest: gauge(
      'hardfix_sandbox_self_test_ok',
      'Live workers whose last self-test of the language passed',
      ['language'],
    ),
    registryUp: gauge(
      'hardfix_dependency_registry_up',
      'Live workers whose last check of the package registry succeeded',
      ['registry'],
    ),
    depCacheEntries: gauge(
      'hardfix_dependency_cache_entries',
      'Installed dependency sets on disk, per worker',
      ['worker'],
    ),
    depCacheBytes: gauge('hardfix_dependency_cache_bytes', 'Size of the dependency cache, per worker', [
      'worker',
    ]),
    depCacheHits: gauge(
      'hardfix_dependency_cache_hits',
      'Dependency sets found in the cache since the worker started',
      ['worker'],
    ),
    depCacheMisses: gauge(
      'hardfix_dependency_cache_misses',
      'Dependency sets installed since the worker started',
      ['worker'],
    ),
  };

  return (reading: StatusReading): void => {
    const { status: s, repairCounters: repairs } = reading;
    for (const queue of STATUS_QUEUES)
      for (const state of QUEUE_STATES) m.queueJobs.set({ queue, state }, s.queues[queue][state]);
    for (const status of PROJECT_STATUSES) m.projects.set({ status }, s.projects[status]);
    setTotal(m.projectsCreated, s.projects.total);
    m.activeFixes.set(s.hardFix.activeFixes);
    m.librarySize.set(s.hardFix.librarySize);
    m.reuseRate.set(s.hardFix.reuseRate);
    m.averageAttempts.set(s.hardFix.averageAttempts);
    m.successRate.set(s.hardFix.successRate);
    m.manualReview.set(s.hardFix.manualReview);
    setTotal(m.successes, repairs.repaired);
    setTotal(m.librarySuccesses, repairs.repairedFromLibrary);
    setTotal(m.attempts, repairs.attemptSum);
    setTotal(m.exhausted, repairs.exhausted);
    m.llmConfigured.set(s.llm.configured ? 1 : 0);
    setTotal(m.llmCalls, s.llm.calls);
    setTotal(m.llmInputTokens, s.llm.inputTokens);
    setTotal(m.llmOutputTokens, s.llm.outputTokens);
    setTotal(m.llmCacheWriteTokens, s.llm.cacheWriteTokens);
    setTotal(m.llmCacheReadTokens, s.llm.cacheReadTokens);
    setTotal(m.llmCost, s.llm.estimatedCostUsd);
    m.llmCostPerDelivered.set(s.llm.costPerDeliveredProjectUsd);
    m.llmCacheReadShare.set(s.llm.cacheReadShare);
    m.llmPaused.set(s.llm.paused ? 1 : 0);
    setTotal(m.budgetStops, s.llm.budgetStops);
    m.sandbox.reset();
    m.sandbox.set({ kind: s.sandbox.kind, network: String(s.sandbox.network) }, 1);
    m.sandboxInsecure.set(s.sandbox.insecure ? 1 : 0);
    m.sandboxWorkers.reset();
    m.selfTest.reset();
    for (const state of ['starting', 'ready', 'failed'] as const)
      m.sandboxWorkers.set({ state }, s.sandbox.workers.filter((w) => w.state === state).length);
    for (const language of LANGUAGES)
      m.selfTest.set({ language }, s.sandbox.workers.filter((w) => w.languages[language]?.ok).length);
    for (const g of [m.registryUp, m.depCacheEntries, m.depCacheBytes, m.depCacheHits, m.depCacheMisses])
      g.reset();
    // By ecosystem (pypi, npm), as the workers report them.
    const ecosystems = new Set(
      s.sandbox.workers.flatMap((w) => Object.keys(w.dependencies?.registries ?? {})),
    );
    for (const registry of ecosystems)
      m.registryUp.set(
        { registry },
        s.sandbox.workers.filter((w) => w.dependencies?.registries[registry]?.ok === true).length,
      );
    for (const w of s.sandbox.workers) {
      const cache = w.dependencies?.cache;
      if (!cache) continue;
      m.depCacheEntries.set({ worker: w.worker }, cache.entries);
      m.depCacheBytes.set({ worker: w.worker }, cache.bytes);
      m.depCacheHits.set({ worker: w.worker }, cache.hits);
      m.depCacheMisses.set({ worker: w.worker }, cache.misses);
    }
  };
}

/** The total lives in Redis; this process only mirrors it (synchronously, so no scrape sees 0). */
function setTotal(counter: Counter, value: number): void {
  counter.reset();
  counter.inc(value);
}
