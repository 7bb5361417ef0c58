import type { TestProject } from 'vitest/node';
import { startRedisCluster } from './redis-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisClusterUrl: string;
  }
}

/**
 * Global setup of the `cluster` test project (vitest.config.ts): one 3-master Redis Cluster for the
 * run, its URL handed to the test files (cluster-setup.ts makes it their REDIS_URL), stopped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startRedisCluster(3);
  project.provide('redisClusterUrl', cluster.url);
  return () => cluster.stop();
}
