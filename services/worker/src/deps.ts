import type { DurationMetrics, Env, FixLibrary, Logger, ProjectStore, StageQueues } from '@hardfix/core';
import type { LlmClient } from '@hardfix/llm';
import type { DependencyInstaller, Sandbox } from '@hardfix/sandbox';
import type { Redis } from 'ioredis';

/** Everything a stage needs, passed in (no container, no globals), so tests build it with real parts. */
export interface StageDeps {
  env: Pick<
    Env,
    | 'QUEUE_PREFIX'
    | 'RETRY_INTERVAL_MS'
    | 'NORMAL_RETRIES'
    | 'SMART_RETRY_MIN_CONFIDENCE'
    | 'HARD_FIX_MAX_ATTEMPTS'
    | 'VERIFY_TIMEOUT_MS'
    | 'DELIVERY_DIR'
    | 'PROJECT_TOKEN_BUDGET'
    | 'PROJECT_COST_BUDGET_USD'
    | 'LLM_SPEND_LIMIT_PAUSE_MS'
  >;
  redis: Redis;
  store: ProjectStore;
  library: FixLibrary;
  queues: StageQueues;
  llm: LlmClient;
  sandbox: Sandbox;
  /** Installs what a project's manifest declares before its verification; absent: none is installed. */
  dependencies?: DependencyInstaller;
  logger: Logger;
  /** Duration histograms in Redis, rendered by the API's /metrics. */
  metrics: DurationMetrics;
}
