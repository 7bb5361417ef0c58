import { createLogger } from '@hardfix/core';
import { createSandbox, type Sandbox, type SandboxHealth, type VerifyResult } from '@hardfix/sandbox';
import { runVerifyMemo } from '@hardfix/testkit';

let shared: Promise<Sandbox> | undefined;

/**
 * The real sandbox, one per test file (vitest runs each file in a worker of its own): the code still
 * runs in bubblewrap with the real verifiers, but its start-up self-test (five languages, javac and tsc
 * included: seconds) runs once per file instead of once per harness, and under `pnpm test` it replays a
 * program this run already verified (testkit's verify memo), so each distinct program runs for real
 * once per run. Each harness gets a view of its own, so a closed harness's sandbox gate hears nothing
 * more. Tests about the self-test or a broken sandbox pass a sandbox of their own (startHarness's
 * `sandbox`), and `ownSandbox` gives a harness the full start path with nothing replayed (the
 * generation suite keeps it: one project per language, on the real sandbox).
 */
export async function fileSandbox(): Promise<{ sandbox: Sandbox; release: () => void }> {
  shared ??= (async () => {
    const memo = runVerifyMemo<VerifyResult>();
    const sandbox = await createSandbox({
      logger: createLogger('silent', 'test-sandbox'),
      ...(memo ? { memo } : {}),
    });
    const health = await sandbox.selfTest();
    if (health.state !== 'ready')
      throw new Error(`the test sandbox does not work: ${health.reasons.join('; ')}`);
    return sandbox;
  })();
  const real = await shared;
  const listeners: ((health: SandboxHealth) => void)[] = [];
  real.onHealthChange((health) => {
    for (const listener of listeners) listener(health);
  });
  const sandbox: Sandbox = {
    describe: () => real.describe(),
    verify: (opts) => real.verify(opts),
    // The self-test already passed for this file: a gate starting up hears that at once. One that asks
    // again for given languages (after a fault) runs it for real.
    selfTest: (languages) =>
      languages === undefined && real.health().state === 'ready'
        ? Promise.resolve(real.health())
        : real.selfTest(languages),
    health: () => real.health(),
    onHealthChange: (listener) => void listeners.push(listener),
  };
  return {
    sandbox,
    release: () => {
      listeners.length = 0;
    },
  };
}
