import {
  closeQueues,
  createManualQueue,
  createQueues,
  createRedisClient,
  createWebhookQueue,
  type Env,
  type Logger,
  logBullErrors,
  ProjectStore,
  redactRedisUrl,
} from '@hardfix/core';
import { type App, buildApp } from './app.js';
import { resolveApiToken } from './lib/api-token.js';
import { waitForRedis } from './lib/wait-for-redis.js';

/** How long start-up waits for Redis before listening anyway. */
const REDIS_WAIT_MS = 5_000;

export interface RunningApi {
  app: App;
  /** Where it listens, e.g. http://127.0.0.1:3000. */
  url: string;
  /** The token write endpoints need (configured or generated). */
  apiToken: string;
  /** Stops accepting requests, lets in-flight ones finish, then closes the queues and Redis. Idempotent. */
  close(): Promise<void>;
}

/**
 * Builds the API with its own producer connection and queues and listens on HOST:PORT. Kept apart
 * from main.ts (no signals, no process.exit) so the one-process standalone entry can reuse it. The API
 * runs no generated code: workers verify everything, reviewers' fixes included.
 */
export async function startApi(env: Env, logger: Logger): Promise<RunningApi> {
  const apiToken = resolveApiToken(env.API_TOKEN, logger);
  const redis = createRedisClient(env.REDIS_URL, 'producer', logger, 'api', env.REDIS_DOWN_LOG_MS);
  const queues = createQueues(redis, env.QUEUE_PREFIX);
  const webhookQueue = createWebhookQueue(redis, env.QUEUE_PREFIX);
  const manualQueue = createManualQueue(redis, env.QUEUE_PREFIX);
  logBullErrors({ ...queues, manual: manualQueue, webhooks: webhookQueue }, logger);
  const store = new ProjectStore(redis, env.QUEUE_PREFIX);
  const app = buildApp({ env, redis, store, queues, webhookQueue, manualQueue, logger, apiToken });

  // The app runs onClose hooks after the server has stopped, so no request still uses these.
  app.addHook('onClose', async () => {
    await closeQueues(queues);
    await manualQueue.close();
    await webhookQueue.close();
    // quit() answers before the socket is closed; wait for 'end' so nothing is left open on exit.
    // It fails when Redis is already gone; then there is nothing to flush, just drop the socket. The
    // wait is bounded: ioredis' cluster client says no 'end' when it holds no node connection.
    const ended =
      redis.status === 'end'
        ? Promise.resolve()
        : new Promise<void>((resolve) => redis.once('end', () => resolve()));
    await redis.quit().catch(() => redis.disconnect());
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
    clearTimeout(timer);
    if (redis.status !== 'end') redis.disconnect();
  });

  let url: string;
  try {
    // The connection itself has said why (one line per REDIS_DOWN_LOG_MS while it lasts).
    if (!(await waitForRedis(redis, REDIS_WAIT_MS)))
      logger.warn(
        { waitedMs: REDIS_WAIT_MS, redis: redactRedisUrl(env.REDIS_URL) },
        'Redis is not reachable yet; serving anyway, /ready answers 503 with the reason',
      );
    url = await app.listen({ host: env.HOST, port: env.PORT });
  } catch (err) {
    await app.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return { app, url, apiToken, close: () => (closing ??= app.close()) };
}
