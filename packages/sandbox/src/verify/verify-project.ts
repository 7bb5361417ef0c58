import { DEFAULT_ENTRIES, type TestCounts } from '@hardfix/contracts';
import { adapterOf, toolsOf } from '@hardfix/languages';
import { extractError } from '../extract/extract-error.js';
import { suspiciousLines } from '../localise/spectrum.js';
import type { SandboxRunner } from '../sandbox.js';
import { SandboxFault } from '../sandbox-fault.js';
import type { ExtractedError, VerifyOptions, VerifyPhase, VerifyResult, VerifyStep } from '../types.js';
import { locateCodeUnderTest } from './code-under-test.js';
import { noTestsRan } from './no-tests-ran.js';
import { countTests, withoutTestMarks } from './test-counts.js';
import { verdictTampered } from './test-verdict.js';

/** The error type of a run whose program wrote to the supervisor's status channel. */
export const STATUS_FORGED = 'StatusForged';

const FALLBACK_TYPE: Record<VerifyPhase, string> = {
  compile: 'CompileError',
  test: 'TestFailure',
  run: 'RuntimeError',
};

/**
 * Writes the project into a fresh workspace and runs its compile, test and run steps in one sandbox,
 * stopping at the first failure. `timeoutMs` covers all steps together.
 * Throws UnsafePathError for a file path that leaves the workspace, and SandboxFault when the program
 * could not be run at all (the sandbox did not start, the workspace could not be written, an
 * interpreter is missing or could not be executed): that is never the program's failure.
 */
export async function verifyProject(runner: SandboxRunner, opts: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const adapter = adapterOf(opts.language);
  for (const key of toolsOf(opts.language)) {
    if (runner.missingInterpreters.includes(key))
      throw new SandboxFault(`${key} is not installed at ${runner.interpreters[key]}`);
  }

  const plan = adapter.verify.plan({
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

  const run = await runner.runSteps(opts.files, plan.steps, opts.timeoutMs, opts.dependencies);
  if (run.fault) throw new SandboxFault(run.fault);
  const steps: VerifyStep[] = run.steps.map((result, i) => {
    const planned = plan.steps[i];
    return { ...result, phase: planned?.phase ?? 'run', command: planned?.command ?? [] };
  });
  if (run.tampered) {
    const error = {
      type: STATUS_FORGED,
      message: `the program wrote to the sandbox's status channel (${run.tampered}); no step's status counts`,
    };
    return { ok: false, steps, durationMs: elapsed(), error };
  }
  const testStep = steps.find((s) => s.phase === 'test');
  const tests: TestCounts | undefined = testStep
    ? countTests(opts.language, testStep.stdout, testStep.stderr)
    : undefined;
  const counted = tests ? { tests } : {};
  const forged = testStep && !testStep.timedOut ? verdictTampered(opts.language, testStep) : undefined;
  if (forged) return { ok: false, steps, durationMs: elapsed(), error: forged, ...counted };
  const silent =
    testStep?.exitCode === 0
      ? noTestsRan(opts.language, testStep.stdout, tests, opts.files, run.visibleRoot)
      : undefined;
  if (silent) return { ok: false, steps, durationMs: elapsed(), error: silent, ...counted };
  const failed = steps.find((s) => s.exitCode !== 0 || s.timedOut || s.outputLimitExceeded);
  if (!failed && steps.length === plan.steps.length)
    return { ok: true, steps, durationMs: elapsed(), ...counted };
  if (!failed) {
    // The deadline fell between two steps.
    const next = plan.steps[steps.length]?.phase ?? 'run';
    return { ok: false, steps, durationMs: elapsed(), error: timeoutError(opts.timeoutMs, next), ...counted };
  }
  const unrunnable = notExecuted(failed, runner);
  if (unrunnable) throw new SandboxFault(unrunnable);
  const error = stepError(opts, failed, run.visibleRoot);
  // Localisation (issue 24): where a language makes it cheap, the tests' spectrum ranks the lines.
  const suspicious =
    failed.phase === 'test' && !failed.timedOut
      ? await suspiciousLines(runner, opts.language, opts.files, opts.timeoutMs - elapsed())
      : undefined;
  return {
    ok: false,
    steps,
    durationMs: elapsed(),
    error: suspicious ? { ...error, suspicious } : error,
    ...counted,
  };
}

/**
 * The shell could not execute the step's interpreter (exit 126/127 with sh's own message naming it):
 * the program never ran. A program that exits 127 by itself does not print that line.
 */
function notExecuted(step: VerifyStep, runner: SandboxRunner): string | undefined {
  if (step.exitCode !== 126 && step.exitCode !== 127) return undefined;
  const interpreter = step.command[0] ?? '';
  const line = step.stderr
    .split('\n')
    .find((l) => l.includes(interpreter) && /(not found|Permission denied|cannot execute)/.test(l));
  if (!line && !/^prlimit: failed to execute/m.test(step.stderr)) return undefined;
  const known = Object.values(runner.interpreters).includes(interpreter);
  return `${known ? 'interpreter' : 'command'} ${interpreter} could not be executed: ${(line ?? step.stderr).trim().slice(0, 300)}`;
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
