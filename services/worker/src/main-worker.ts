import { join } from 'node:path';
import {
  closeInSteps,
  closeQueues,
  createDurationMetrics,
  createQueues,
  createRedisClient,
  createWebhookQueue,
  type Env,
  FixLibrary,
  keys,
  type Logger,
  logBullErrors,
  ProjectEvents,
  ProjectStore,
  type SlowCloseReporter,
} from '@hardfix/core';
import { createAnthropicClient, type LlmClient, NotConfiguredLlmClient } from '@hardfix/llm';
import {
  createDependencyInstaller,
  createSandbox,
  prepareSharedDir,
  type Sandbox,
  type VerifyMemo,
} from '@hardfix/sandbox';
import type { StageDeps } from './deps.js';
import { runEvery } from './periodic.js';
import { recoverOrphans, startOrphanSweep } from './recover.js';
import { startSandboxGate } from './sandbox-gate.js';
import { startEventRelay } from './webhooks/event-relay.js';
import { failStalledOutDeliveries } from './webhooks/stalled-out.js';
import { createWebhookWorker } from './webhooks/webhook-worker.js';
import { createManualWorker, createStageWorkers } from './worker.js';

export interface RunningWorker {
  deps: StageDeps;
  /** Lets running attempts finish, then lets go of Redis; a step still running after 5 s is reported. */
  close(onSlow?: SlowCloseReporter): Promise<void>;
}

export interface StartWorkerOptions {
  /** A sandbox built by the caller (tests: a deliberately broken one); else one from the environment. */
  sandbox?: Sandbox;
  /** Tests only: the sandbox built from the environment replays the run's earlier verifications. */
  verifyMemo?: VerifyMemo;
}

/**
 * Builds the real dependencies from the environment and one worker per stage queue, which take jobs
 * once the sandbox self-test passes. Throws SandboxUnavailableError (before connecting to anything)
 * when SANDBOX_MODE=bubblewrap and bubblewrap cannot run here.
 */
export async function startWorker(
  env: Env,
  logger: Logger,
  options: StartWorkerOptions = {},
): Promise<RunningWorker> {
  const sandbox =
    options.sandbox ??
    (await createSandbox({
      logger,
      mode: env.SANDBOX_MODE,
      ...(env.SANDBOX_WORK_DIR ? { workRoot: env.SANDBOX_WORK_DIR } : {}),
      ...(options.verifyMemo ? { memo: options.verifyMemo } : {}),
    }));
  // Beside the work root, per service uid like it (/var/tmp/hardfix-dependencies-<uid>). Checked now like
  // the work root: the sandbox's users must reach it, or every verification that declares a package
  // would fail with "the sandbox did not come up".
  const defaultCache = join(
    sandbox.describe().workRoot,
    '..',
    `hardfix-dependencies-${process.getuid?.() ?? 0}`,
  );
  const dependencyCache = await prepareSharedDir(
    env.DEPENDENCY_CACHE_DIR ?? defaultCache,
    sandbox.describe().uid !== null,
    'DEPENDENCY_CACHE_DIR',
    defaultCache,
  );
  const redis = createRedisClient(env.REDIS_URL, 'worker', logger, 'worker', env.REDIS_DOWN_LOG_MS);
  const queues = createQueues(redis, env.QUEUE_PREFIX);
  const llm: LlmClient = env.ANTHROPIC_API_KEY
    ? createAnthropicClient({
        apiKey: env.ANTHROPIC_API_KEY,
        ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
        model: env.LLM_MODEL,
        logger,
        promptCaching: env.LLM_PROMPT_CACHING,
        timeoutMs: env.LLM_TIMEOUT_MS,
        fallbackModel: env.LLM_FALLBACK_MODEL,
      })
    : new NotConfiguredLlmClient(env.LLM_MODEL);
  if (!llm.configured) logger.warn('ANTHROPIC_API_KEY is not set: LLM stages park their work until it is');
  const deps: StageDeps = {
    env,
    redis,
    store: new ProjectStore(redis, env.QUEUE_PREFIX),
    library: new FixLibrary(redis, env.QUEUE_PREFIX),
    queues,
    llm,
    sandbox,
    dependencies: createDependencyInstaller({
      enabled: env.DEPENDENCIES === 'on',
      allowlist: env.DEPENDENCY_ALLOWLIST,
      ...(env.PIP_INDEX_URL ? { pipIndexUrl: env.PIP_INDEX_URL } : {}),
      ...(env.NPM_CONFIG_REGISTRY ? { npmRegistry: env.NPM_CONFIG_REGISTRY } : {}),
      cacheDir: dependencyCache,
      cacheMaxBytes: env.DEPENDENCY_CACHE_MAX_BYTES,
      timeoutMs: env.DEPENDENCY_INSTALL_TIMEOUT_MS,
      python3: sandbox.describe().interpreters.python3,
      logger,
    }),
    logger,
    metrics: createDurationMetrics(redis, env.QUEUE_PREFIX, (err) =>
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'metric observation lost'),
    ),
  };
  const workerOptions = {
    connection: redis,
    concurrency: env.WORKER_CONCURRENCY,
    lockDurationMs: env.JOB_LOCK_MS,
    maxStalledCount: env.JOB_MAX_STALLED,
  };
  const workers = [...createStageWorkers(deps, workerOptions), createManualWorker(deps, workerOptions)];
  const webhookQueue = createWebhookQueue(redis, env.QUEUE_PREFIX);
  logBullErrors({ ...queues, webhooks: webhookQueue }, logger);
  const projectEvents = new ProjectEvents(redis, env.QUEUE_PREFIX);
  const webhookWorker = createWebhookWorker({
    connection: redis,
    prefix: env.QUEUE_PREFIX,
    events: projectEvents,
    logger,
    secret: env.WEBHOOK_SECRET,
    allowedHosts: env.WEBHOOK_ALLOWED_HOSTS,
    backoffMs: env.WEBHOOK_BACKOFF_MS,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    concurrency: env.WORKER_CONCURRENCY,
    lockDurationMs: env.JOB_LOCK_MS,
  });
  await Promise.all([...workers, webhookWorker].map((w) => w.waitUntilReady()));
  const relayConnection = createRedisClient(
    env.REDIS_URL,
    'worker',
    logger,
    'event-relay',
    env.REDIS_DOWN_LOG_MS,
  );
  const relay = await startEventRelay({
    connection: relayConnection,
    queue: webhookQueue,
    stream: keys(env.QUEUE_PREFIX).events,
    logger,
    backoffMs: env.WEBHOOK_BACKOFF_MS,
    // A live relay acknowledges within moments; one silent for a lock's length has died.
    reclaimIdleMs: env.JOB_LOCK_MS,
  });
  await recoverOrphans(deps);
  const sweep = startOrphanSweep(deps, env.ORPHAN_SWEEP_MS);
  // Webhook jobs BullMQ failed as stalled out say so on their project; the first pass looks at every
  // failed webhook job (kept 30 days), later ones at those failed since, less a margin for the clocks of
  // the workers that stamped them (looking again is harmless: only a pending delivery is marked).
  let stalledSince = 0;
  const webhookSweep = runEvery(
    env.ORPHAN_SWEEP_MS,
    async () => {
      const { newest } = await failStalledOutDeliveries(webhookQueue, projectEvents, logger, stalledSince);
      stalledSince = Math.max(0, newest - 5 * 60_000);
    },
    (err) => logger.warn({ err: String(err) }, 'stalled-out webhook sweep failed; next one retries'),
  );
  // Fixes saved under an older signature algorithm are re-keyed once per version (see migrateSignatures).
  const aliased = await deps.library.migrateSignatures();
  if (aliased > 0) logger.info({ aliased }, 'proven fixes re-keyed to the current signature version');
  const gate = await startSandboxGate({
    sandbox,
    workers,
    redis,
    prefix: env.QUEUE_PREFIX,
    logger,
    recheckMs: Math.max(env.RETRY_INTERVAL_MS, 100),
    ...(deps.dependencies ? { dependencies: deps.dependencies } : {}),
  });
  logger.info(
    { queues: workers.map((w) => w.name), sandbox: sandbox.describe().kind, health: sandbox.health().state },
    'worker started',
  );
  return {
    deps,
    close: async (onSlow) => {
      sweep.close();
      webhookSweep.close();
      await closeInSteps(
        [
          ['sandbox gate', () => gate.close()],
          ['event relay', () => relay.close()],
          // Running attempts finish (BullMQ waits for active jobs) before the connection goes.
          [
            'stage workers (running jobs finish first)',
            () => Promise.all([...workers, webhookWorker].map((w) => w.close())),
          ],
          ['queues', () => Promise.all([closeQueues(queues), webhookQueue.close()])],
          [
            'redis',
            () => Promise.all([relayConnection, redis].map((c) => c.quit().catch(() => c.disconnect()))),
          ],
        ],
        onSlow ?? ((step, waitedMs) => logger.warn({ step, waitedMs }, 'shutdown: still waiting')),
      );
    },
  };
}
