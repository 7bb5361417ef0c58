import { defineConfig } from 'vitest/config';

// One project per workspace package so `pnpm --filter X test` and the root run share a config.
const projects = ['contracts', 'core', 'llm', 'sandbox', 'testkit'].map((name) => ({
  extends: true as const,
  test: { name, root: `packages/${name}`, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
}));
const services = ['api', 'worker', 'standalone'].map((name) => ({
  extends: true as const,
  test: { name, root: `services/${name}`, include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
}));

// The fault-injection suite (`pnpm test:faults`): real worker processes killed, paused and cut off from
// Redis mid-flow. Part of `pnpm test` too, so CI runs it.
const faults = {
  extends: true as const,
  test: {
    name: 'faults',
    root: 'services/worker',
    include: ['faults/**/*.faults.test.ts'],
    testTimeout: 90_000,
  },
};

// Checks over the repository itself (links in the docs).
const repo = { extends: true as const, test: { name: 'repo', root: '.', include: ['scripts/**/*.test.ts'] } };

/**
 * Integration tests again on a 3-master Redis Cluster the run starts on loopback ports (see the testkit's
 * redis-cluster.ts): the fix library's and the project store's scripts, fenced by a job's lock too (which
 * shares the slot of the hash-tagged prefix), and one whole escalation through API, worker and library.
 */
const cluster = {
  extends: true as const,
  test: {
    name: 'cluster',
    root: '.',
    include: [
      'packages/core/cluster/*.test.ts',
      'packages/core/test/fix-library.test.ts',
      'packages/core/test/fenced-library.test.ts',
      'packages/core/test/fencing.test.ts',
      'services/worker/test/escalation.test.ts',
    ],
    globalSetup: ['packages/testkit/src/cluster-global-setup.ts'],
    setupFiles: ['packages/testkit/src/cluster-setup.ts'],
  },
};

export default defineConfig({
  test: {
    projects: [...projects, ...services, faults, repo, cluster],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: sandboxed runs (javac, jvm) are heavy, so keep file parallelism modest.
    maxWorkers: 2,
  },
});
