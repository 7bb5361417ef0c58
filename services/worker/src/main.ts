import { createLogger, loadEnvOrExit } from '@hardfix/core';
import { startWorker } from './main-worker.js';

/** The worker process on its own (docker compose runs api and worker as separate services). */
const env = loadEnvOrExit();
const logger = createLogger(env.LOG_LEVEL, 'worker');
const worker = await startWorker(env, logger);

const stop = async (signal: string) => {
  logger.info({ signal }, 'shutting down');
  await worker.close();
  process.exit(0);
};
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
