import { closeOnSignals, createLogger, exitOnStartupError, loadEnvOrExit } from '@hardfix/core';
import { type RunningApi, startApi } from './server.js';

// A bad environment prints the wrong variables and exits with code 2, like the other entry points.
const env = loadEnvOrExit();
const logger = createLogger(env.LOG_LEVEL, 'api');
// docker-compose.yml gives the api 15 s to stop. Installed before the start, which may wait for Redis.
let api: RunningApi | undefined;
closeOnSignals(logger, async () => api?.close(), 10_000);
api = await startApi(env, logger).catch(exitOnStartupError(logger));
