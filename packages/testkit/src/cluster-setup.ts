import { afterAll, inject } from 'vitest';

// A setup file of the `cluster` test project: the file's tests (and the services they start) connect
// to the run's Redis Cluster; their fixtures then use a hash-tagged prefix.
const previous = process.env.REDIS_URL;
process.env.REDIS_URL = inject('redisClusterUrl');
afterAll(() => {
  if (previous === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = previous;
});
