import type { Project, ProjectFile } from '@hardfix/contracts';
import { faultPoint } from '@hardfix/core';
import type { VerifyResult } from '@hardfix/sandbox';
import type { StageDeps } from './deps.js';

/** One sandboxed run of a candidate, timed for /metrics. */
export async function verify(
  deps: StageDeps,
  project: Project,
  files: ProjectFile[],
  entry: string | undefined,
  /** Where in the flow (for the fault suite's kill points). */
  step: string,
): Promise<VerifyResult> {
  const running = deps.sandbox.verify({
    language: project.language,
    files,
    ...(entry ? { entry } : {}),
    timeoutMs: deps.env.VERIFY_TIMEOUT_MS,
  });
  await faultPoint('verify', step);
  const result = await running;
  await deps.metrics.verification.record(
    { language: project.language, outcome: result.ok ? 'passed' : 'failed' },
    result.durationMs / 1000,
  );
  return result;
}
