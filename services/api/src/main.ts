import { closeOnSignals, createLogger, exitOnStartupError, loadEnvOrExit } from '@hardfix/core';
import { startApi } from './server.js';

// A bad environment prints the wrong variables and exits with code 2, like the other entry points.
const env = loadEnvOrExit();
const logger = createLogger(env.LOG_LEVEL, 'api');
const api = await startApi(env, logger).catch(exitOnStartupError(logger));
// docker-compose.yml gives the api 15 s to stop.
closeOnSignals(logger, api.close, 10_000);
