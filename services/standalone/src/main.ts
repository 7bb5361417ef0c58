import { startApi } from '@hardfix/api';
import { closeOnSignals, createLogger, exitOnStartupError, loadEnvOrExit } from '@hardfix/core';
import { startWorker } from '@hardfix/worker';

/**
 * `pnpm start`: the API and a worker in one process against REDIS_URL, for running without Docker.
 * Shutdown closes the API first (no new work), then lets the worker finish its in-flight attempts.
 */
const env = loadEnvOrExit();
const logger = createLogger(env.LOG_LEVEL);
const worker = await startWorker(env, logger.child({ service: 'worker' })).catch(exitOnStartupError(logger));
const api = await startApi(env, logger.child({ service: 'api' }));
logger.info({ url: api.url, docs: `${api.url}/docs` }, 'hard fix is running');

// The API stops first (no new work), then the worker lets in-flight attempts finish.
closeOnSignals(
  logger,
  async () => {
    await api.close();
    await worker.close();
  },
  80_000,
);
