import type { Project, ProjectFile } from '@hardfix/contracts';
import { faultPoint } from '@hardfix/core';
import type { VerifyResult } from '@hardfix/sandbox';
import { prepareDependencies } from './dependencies.js';
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
  // Declared packages are installed (or found in the cache) outside the sandbox first; a refused one
  // is the program's failure, an unreachable registry throws (the project waits, see stage-errors).
  const { mount, failed } = await prepareDependencies(deps, project, files);
  if (failed) return failed;
  const running = deps.sandbox.verify({
    language: project.language,
    files,
    ...(entry ? { entry } : {}),
    timeoutMs: deps.env.VERIFY_TIMEOUT_MS,
    ...(mount ? { dependencies: mount } : {}),
  });
  await faultPoint('verify', step);
  const result = await running;
  await deps.metrics.verification.record(
    { language: project.language, outcome: result.ok ? 'passed' : 'failed' },
    result.durationMs / 1000,
  );
  return result;
}
