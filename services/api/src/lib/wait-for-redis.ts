import type { Redis } from 'ioredis';

/**
 * Resolves true once the connection is ready, false after `ms`. A producer connection rejects
 * commands until it is connected, so serving before this would turn the first requests into 503s;
 * giving up after a while keeps the API up (and /ready honest) while Redis is down.
 */
export function waitForRedis(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    timer.unref();
    redis.on('ready', onReady);
  });
}
