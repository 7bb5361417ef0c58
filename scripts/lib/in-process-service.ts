import { randomBytes } from 'node:crypto';
import { type RunningApi, startApi } from '@hardfix/api';
import { createLogger, createRedisClient, type Env, loadEnv } from '@hardfix/core';
import { deleteKeysWithPrefix } from '@hardfix/testkit';
import { type RunningWorker, startWorker } from '@hardfix/worker';

export interface InProcessService {
  env: Env;
  api: RunningApi;
  worker: RunningWorker;
  /** One JSON request to the API with the service's token; the parsed body, whatever the status. */
  call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Stops the API and the worker and deletes every Redis key under the prefix. */
  close(): Promise<void>;
}

/**
 * The API and a worker in this process, for the demo and the benchmarks: a Redis prefix of their own,
 * a random token, the model at `modelUrl` (the test kit's local Messages API). Env overrides win.
 */
export async function startInProcessService(options: {
  prefix: string;
  /** @defaultValue REDIS_URL, else redis://127.0.0.1:6379 */
  redisUrl?: string;
  modelUrl: string;
  deliveryDir: string;
  overrides?: Record<string, string>;
}): Promise<InProcessService> {
  const env = loadEnv({
    REDIS_URL: options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: options.prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    API_TOKEN: randomBytes(16).toString('hex'),
    ANTHROPIC_API_KEY: 'simulated',
    ANTHROPIC_BASE_URL: options.modelUrl,
    DELIVERY_DIR: options.deliveryDir,
    LOG_LEVEL: 'silent',
    ...options.overrides,
  });
  const logger = createLogger(env.LOG_LEVEL);
  const worker = await startWorker(env, logger);
  const api = await startApi(env, logger);
  return {
    env,
    api,
    worker,
    call: async (method, path, body) => {
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${api.apiToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return (await res.json()) as Record<string, unknown>;
    },
    close: async () => {
      await api.close();
      await worker.close();
      const redis = createRedisClient(env.REDIS_URL, 'worker', logger, 'cleanup');
      await deleteKeysWithPrefix(redis, options.prefix);
      await redis.quit();
    },
  };
}
