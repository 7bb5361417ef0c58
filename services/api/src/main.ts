import { createLogger, type Env, EnvError, loadEnv } from '@hardfix/core';
import { closeOnSignals } from './lib/shutdown.js';
import { startApi } from './server.js';

function envOrExit(): Env {
  try {
    return loadEnv();
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    // Same contract as the other entry points: the bad variables on stderr, exit code 2.
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
}

const env = envOrExit();
const logger = createLogger(env.LOG_LEVEL, 'api');
const api = await startApi(env, logger);
closeOnSignals(logger, api.close);
