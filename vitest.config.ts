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

export default defineConfig({
  test: {
    projects: [...projects, ...services, faults, repo],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: sandboxed runs (javac, jvm) are heavy, so keep file parallelism modest.
    maxWorkers: 2,
  },
});
