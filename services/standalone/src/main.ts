import { type RunningApi, startApi } from '@hardfix/api';
import {
  closeOnSignals,
  createLogger,
  exitOnStartupError,
  isRedisUrlSet,
  loadEnvOrExit,
  redactRedisUrl,
} from '@hardfix/core';
import { type RunningWorker, startWorker } from '@hardfix/worker';
import { resolveLocalRedis } from './local-redis.js';

/**
 * `pnpm start`: the API and a worker in one process, for running without Docker. Redis: REDIS_URL;
 * unset, a Redis on the default address, or else an embedded one this process starts and stops
 * (local-redis.ts). Shutdown closes the API first (no new work), then lets the worker finish its
 * in-flight attempts, then stops the embedded Redis.
 */
const configured = loadEnvOrExit();
const logger = createLogger(configured.LOG_LEVEL);
const local = await resolveLocalRedis(configured, isRedisUrlSet()).catch(exitOnStartupError(logger));
if (local.note) logger.info({ redis: local.url, dir: local.embedded?.dir }, local.note);
const env = { ...configured, REDIS_URL: local.url };

// The API stops first (no new work), then the worker lets in-flight attempts finish, then the embedded
// Redis goes. Installed before the start: a worker still waiting for Redis has nothing in flight.
let api: RunningApi | undefined;
let worker: RunningWorker | undefined;
closeOnSignals(
  logger,
  async () => {
    await api?.close();
    await worker?.close();
    await local.embedded?.stop();
  },
  80_000,
);

// The worker waits for Redis as long as it takes; the API serves meanwhile, so /ready can say why.
const workerStarted = startWorker(env, logger.child({ service: 'worker' })).then((w) => {
  worker = w;
}, exitOnStartupError(logger));
api = await startApi(env, logger.child({ service: 'api' })).catch(exitOnStartupError(logger));
await workerStarted;
logger.info(
  { url: api.url, docs: `${api.url}/docs`, redis: redactRedisUrl(local.url) },
  'hard fix is running',
);
