import { closeOnSignals, createLogger, exitOnStartupError, loadEnvOrExit } from '@hardfix/core';
import { startWorker } from './main-worker.js';

/** The worker process on its own (docker compose runs api and worker as separate services). */
const env = loadEnvOrExit();
const logger = createLogger(env.LOG_LEVEL, 'worker');
const worker = await startWorker(env, logger).catch(exitOnStartupError(logger));
// In-flight attempts (an LLM call and a verification) may finish; docker-compose.yml allows 90 s.
// A job cut short is not lost: its lock expires and another worker takes it up.
closeOnSignals(logger, worker.close, 80_000);
