import type { VerificationSummary } from '@hardfix/contracts';
import type { VerifyResult } from './types.js';

/** What is kept of a verification: the steps and their timings, not their output. */
export function summariseVerification(result: VerifyResult): VerificationSummary {
  return {
    ok: result.ok,
    durationMs: result.durationMs,
    steps: result.steps.map((s) => ({
      phase: s.phase,
      command: s.command.join(' '),
      exitCode: s.exitCode,
      durationMs: s.durationMs,
    })),
    ...(result.tests ? { tests: result.tests } : {}),
  };
}
