import {
  closeQueues,
  createDurationMetrics,
  createQueues,
  createRedisClient,
  type Env,
  FixLibrary,
  keys,
  type Logger,
  ProjectStore,
} from '@hardfix/core';
import { createAnthropicClient, type LlmClient, NotConfiguredLlmClient } from '@hardfix/llm';
import { createSandbox } from '@hardfix/sandbox';
import type { StageDeps } from './deps.js';
import { recoverOrphans } from './recover.js';
import { createStageWorkers } from './worker.js';

export interface RunningWorker {
  deps: StageDeps;
  close(): Promise<void>;
}

/** Builds the real dependencies from the environment and starts one worker per stage queue. */
export async function startWorker(env: Env, logger: Logger): Promise<RunningWorker> {
  const redis = createRedisClient(env.REDIS_URL, 'worker', logger, 'worker');
  const queues = createQueues(redis, env.QUEUE_PREFIX);
  const sandbox = await createSandbox({ logger });
  const llm: LlmClient = env.ANTHROPIC_API_KEY
    ? createAnthropicClient({
        apiKey: env.ANTHROPIC_API_KEY,
        ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
        model: env.LLM_MODEL,
        logger,
        promptCaching: env.LLM_PROMPT_CACHING,
      })
    : new NotConfiguredLlmClient(env.LLM_MODEL);
  const isolation = sandbox.describe();
  if (isolation.kind !== 'bubblewrap' && isolation.uid === null) {
    // Without bubblewrap or a uid to drop to, generated code runs as this user in this pid namespace:
    // it could read this process's environment through /proc. Say so loudly rather than pretend.
    logger.error(
      { sandbox: isolation.kind },
      'sandbox: bubblewrap is unavailable and the service is not root, so generated code runs as the service user, with network access, and could read its environment; install bubblewrap (and allow user namespaces) before giving this worker an API key',
    );
  }
  if (!llm.configured) logger.warn('ANTHROPIC_API_KEY is not set: LLM stages park their work until it is');
  const deps: StageDeps = {
    env,
    redis,
    keys: keys(env.QUEUE_PREFIX),
    store: new ProjectStore(redis, env.QUEUE_PREFIX),
    library: new FixLibrary(redis, env.QUEUE_PREFIX),
    queues,
    llm,
    sandbox,
    logger,
    metrics: createDurationMetrics(redis, env.QUEUE_PREFIX, (err) =>
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metric observation lost'),
    ),
  };
  const workers = createStageWorkers(deps, {
    connection: redis,
    concurrency: env.WORKER_CONCURRENCY,
    lockDurationMs: env.JOB_LOCK_MS,
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  await recoverOrphans(deps);
  logger.info({ queues: workers.map((w) => w.name), sandbox: sandbox.describe().kind }, 'worker started');
  return {
    deps,
    close: async () => {
      // Let running attempts finish (BullMQ waits for active jobs) before the connection goes.
      await Promise.all(workers.map((w) => w.close()));
      await closeQueues(queues);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
