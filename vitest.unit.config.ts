import { defineConfig } from 'vitest/config';

/**
 * The fast lane (`pnpm test:unit`): the pure tests only — no Redis, no sandbox, no processes, no
 * network. By the house layout these are the tests beside their code (`src/**`); integration tests
 * live in `test/`, `faults/` and `cluster/`. The repository's own checks (docs against code) are pure
 * too. `pnpm test` runs all of these as well, in their packages' projects.
 */
export default defineConfig({
  test: {
    name: 'unit',
    include: [
      'packages/*/src/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'scripts/repo-links.test.ts',
      'scripts/docs-match-code.test.ts',
    ],
    // A unit test that reaches for Redis fails at once instead of finding the shared server.
    setupFiles: ['packages/testkit/src/unit-setup.ts'],
    testTimeout: 10_000,
  },
});
