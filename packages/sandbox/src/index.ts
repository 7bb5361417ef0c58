import type { SandboxOptions, SandboxRunner } from './sandbox.js';
import { createSandboxRunner } from './sandbox.js';
import type { RunOptions, RunResult, SandboxDescription, VerifyOptions, VerifyResult } from './types.js';
import { verifyProject } from './verify/verify-project.js';

export { extractCodeBlock } from './extract/code-block.js';
export { type ExtractErrorOptions, extractError } from './extract/extract-error.js';
export { DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
export type { SandboxOptions, SandboxRunner } from './sandbox.js';
export { createSandboxRunner } from './sandbox.js';
export { SandboxUnavailableError } from './sandbox-unavailable-error.js';
export { summariseVerification } from './summarise.js';
export type * from './types.js';
export { UnsafePathError } from './unsafe-path-error.js';
export { verifyProject } from './verify/verify-project.js';

/** The sandbox as the worker and the API use it. */
export interface Sandbox {
  describe(): SandboxDescription;
  runSandboxed(opts: RunOptions): Promise<RunResult>;
  verifyProject(opts: VerifyOptions): Promise<VerifyResult>;
  /** Same as `verifyProject`. */
  verify(opts: VerifyOptions): Promise<VerifyResult>;
}

/** Detects the isolation mode once (bubblewrap probe) and returns a ready sandbox. */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const runner: SandboxRunner = await createSandboxRunner(options);
  return {
    describe: () => runner.describe(),
    runSandboxed: (opts) => runner.runSandboxed(opts),
    verifyProject: (opts) => verifyProject(runner, opts),
    verify: (opts) => verifyProject(runner, opts),
  };
}
