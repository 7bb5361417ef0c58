import { createLogger, loadEnvOrExit } from '@hardfix/core';
import { closeOnSignals } from './lib/shutdown.js';
import { startApi } from './server.js';

// A bad environment prints the wrong variables and exits with code 2, like the other entry points.
const env = loadEnvOrExit();
const logger = createLogger(env.LOG_LEVEL, 'api');
const api = await startApi(env, logger);
closeOnSignals(logger, api.close);
