import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// One project per workspace package so `pnpm --filter X test` and the root run share a config.
const projects = ['languages', 'contracts', 'core', 'llm', 'sandbox', 'testkit'].map((name) => ({
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
 * What a Redis Cluster changes, on a 3-master cluster the run starts on loopback ports (see the
 * testkit's redis-cluster.ts), with a hash-tagged prefix: the store, the fix library, the Lua scripts
 * and their fence, the outbox (packages/core/test and cluster/), and one end-to-end run of the whole
 * flow (the worker's escalation suite: retried, analysed, hard-fixed, the fix saved and reused), so
 * every script, MULTI, queue and scan is proven to stay in one slot. The rest of the integration tests
 * prove behaviour that does not depend on how keys are routed and run once, on the single server.
 */
const cluster = {
  extends: true as const,
  test: {
    name: 'cluster',
    root: '.',
    include: [
      'packages/core/cluster/*.test.ts',
      'packages/core/test/*.test.ts',
      'services/worker/test/escalation.test.ts',
    ],
    globalSetup: ['packages/testkit/src/cluster-global-setup.ts'],
    setupFiles: ['packages/testkit/src/cluster-setup.ts'],
  },
};

export default defineConfig({
  test: {
    // The run's verification memo (testkit's verify-memo.ts): each distinct program verified once.
    globalSetup: [resolve(import.meta.dirname, 'packages/testkit/src/verify-memo-setup.ts')],
    projects: [...projects, ...services, faults, repo, cluster],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: sandboxed runs (javac, jvm) are heavy, so keep file parallelism modest.
    maxWorkers: 2,
  },
});
