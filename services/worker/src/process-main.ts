import { closeOnSignals, createLogger, exitOnStartupError, loadEnvOrExit } from '@hardfix/core';
import { type RunningWorker, type StartWorkerOptions, startWorker } from './main-worker.js';

/** The worker process on its own (docker compose runs api and worker as separate services). */
export async function runWorkerProcess(options: StartWorkerOptions = {}): Promise<void> {
  const env = loadEnvOrExit();
  const logger = createLogger(env.LOG_LEVEL, 'worker');
  // In-flight attempts (an LLM call and a verification) may finish; docker-compose.yml allows 90 s.
  // A job cut short is not lost: its lock expires and another worker takes it up. Installed before the
  // start, which waits for Redis as long as it takes: a worker still waiting has nothing to finish.
  let worker: RunningWorker | undefined;
  closeOnSignals(logger, async () => worker?.close(), 80_000);
  worker = await startWorker(env, logger, options).catch(exitOnStartupError(logger));
}
