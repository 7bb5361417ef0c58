import { DEFAULT_ENTRIES, type Language, type TestCounts } from '@hardfix/contracts';
import { extractError } from '../extract/extract-error.js';
import { requireInterpreter } from '../interpreters.js';
import type { SandboxRunner } from '../sandbox.js';
import type { ExtractedError, VerifyOptions, VerifyPhase, VerifyResult, VerifyStep } from '../types.js';
import { createWorkspace, removeWorkspace } from '../workspace.js';
import { locateCodeUnderTest } from './code-under-test.js';
import { planJava } from './java.js';
import { planJavascript } from './javascript.js';
import type { PlanContext, VerifyPlan } from './plan.js';
import { planPython } from './python.js';
import { countTests, withoutTestMarks } from './test-counts.js';

const PLANNERS: Record<Language, (ctx: PlanContext) => VerifyPlan> = {
  python: planPython,
  javascript: planJavascript,
  java: planJava,
};

const NEEDS: Record<Language, ('python3' | 'node' | 'java' | 'javac')[]> = {
  python: ['python3'],
  javascript: ['node'],
  java: ['javac', 'java'],
};

const FALLBACK_TYPE: Record<VerifyPhase, string> = {
  compile: 'CompileError',
  test: 'TestFailure',
  run: 'RuntimeError',
};

/**
 * Writes the project into a fresh workspace and runs its compile, test and run steps in the
 * sandbox, stopping at the first failure. `timeoutMs` covers all steps together.
 * Throws UnsafePathError for a file path that leaves the workspace.
 */
export async function verifyProject(runner: SandboxRunner, opts: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  for (const key of NEEDS[opts.language])
    requireInterpreter(runner.interpreters, runner.missingInterpreters, key);

  const plan = PLANNERS[opts.language]({
    files: opts.files,
    entry: opts.entry,
    interpreters: runner.interpreters,
    limits: runner.limits,
  });
  if (plan.kind === 'missing-entry') {
    return {
      ok: false,
      steps: [],
      durationMs: elapsed(),
      error: { type: 'MissingEntryPoint', message: plan.message },
    };
  }

  const uid = runner.dropsPrivileges ? runner.uids.acquire() : undefined;
  try {
    const workdir = await createWorkspace(runner.workRoot, opts.files, uid);
    try {
      const steps: VerifyStep[] = [];
      let tests: TestCounts | undefined;
      const counted = () => (tests ? { tests } : {});
      const deadline = started + opts.timeoutMs;
      for (const planned of plan.steps) {
        const remaining = Math.round(deadline - performance.now());
        if (remaining <= 0) {
          return {
            ok: false,
            steps,
            durationMs: elapsed(),
            error: timeoutError(opts.timeoutMs, planned.phase),
            ...counted(),
          };
        }
        const result = await runner.runSandboxed({
          command: planned.command,
          workdir,
          timeoutMs: remaining,
          ...(planned.env ? { env: planned.env } : {}),
          ...(uid === undefined ? {} : { uid }),
        });
        const step: VerifyStep = { phase: planned.phase, ...result, command: planned.command };
        steps.push(step);
        if (step.phase === 'test') tests = countTests(opts.language, step.stdout, step.stderr);
        if (result.exitCode === 0 && !result.timedOut && !result.outputLimitExceeded) continue;
        const error = stepError(opts, step, runner.visiblePath(workdir));
        return { ok: false, steps, durationMs: elapsed(), error, ...counted() };
      }
      return { ok: true, steps, durationMs: elapsed(), ...counted() };
    } finally {
      await removeWorkspace(workdir);
    }
  } finally {
    if (uid !== undefined) runner.uids.release(uid);
  }
}

function timeoutError(timeoutMs: number, phase: VerifyPhase): ExtractedError {
  return {
    type: 'Timeout',
    message: `verification exceeded the time limit of ${timeoutMs} ms during ${phase}`,
  };
}

function stepError(opts: VerifyOptions, step: VerifyStep, visibleRoot: string): ExtractedError {
  if (step.timedOut) return timeoutError(opts.timeoutMs, step.phase);
  if (step.outputLimitExceeded) {
    return { type: 'OutputLimitExceeded', message: `the program flooded its output during ${step.phase}` };
  }
  // SIGKILL that we did not send is the kernel's OOM killer.
  if (step.signal === 'SIGKILL') {
    return { type: 'MemoryLimit', message: `killed by SIGKILL during ${step.phase} (memory limit)` };
  }
  const rawOutput = `${step.stdout}\n${step.stderr}`;
  const output = withoutTestMarks(rawOutput);
  const roots = [visibleRoot];
  const fallbackType = FALLBACK_TYPE[step.phase];
  const extracted = extractError(opts.language, output, opts.files, { roots, fallbackType });
  const error =
    step.phase === 'test'
      ? locateCodeUnderTest(extracted, {
          language: opts.language,
          output,
          rawOutput,
          files: opts.files,
          roots,
          fallbackType,
          entry:
            opts.entry ?? DEFAULT_ENTRIES[opts.language].find((p) => opts.files.some((f) => f.path === p)),
        })
      : extracted;
  if (step.signal && error.type === FALLBACK_TYPE[step.phase]) {
    return { ...error, message: `killed by ${step.signal} during ${step.phase}: ${error.message}` };
  }
  return error;
}
