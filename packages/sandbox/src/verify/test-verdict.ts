import type { Language } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import type { ExtractedError } from '../types.js';
import { TEST_MARK, unittestSummary } from './test-counts.js';

/** The error type of a test run whose result was changed by the code under test. */
export const VERDICT_TAMPERED = 'VerdictTampered';

interface TestStepOutput {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

const escapeRegExp = (s: string) => s.replace(/[[\]\\^$.|?*+(){}]/g, '\\$&');
const mark = (rest: string) => new RegExp(`^${escapeRegExp(TEST_MARK)} ${rest}$`, 'gm');
const PYTHON_COUNT = mark(
  'python run=(\\d+) failures=(\\d+) errors=(\\d+) skipped=(\\d+) expected=(\\d+) unexpected=(\\d+)',
);
const TAMPERED = mark('tampered (.+)');
const JAVA_SUMMARY = mark('run=(\\d+) failed=(\\d+)');

/**
 * The tests run in the program's own process, so the test runner's summary is the program's word as
 * much as the runner's. Each language's runner also gives the verifier a count of its own (python.ts,
 * javascript.ts, java-runner.ts): this compares the two, and the process's exit status with both.
 * Any disagreement, a count given twice, or a runner that saw its own classes replaced, fails the
 * verification as VerdictTampered whatever the summary says. Undefined when they agree (or when the
 * runner never got to count: NoTestsRan's case, or a crash the step's status already fails).
 */
export function verdictTampered(language: Language, step: TestStepOutput): ExtractedError | undefined {
  const output = `${step.stdout}\n${step.stderr}`;
  const replaced = [...output.matchAll(TAMPERED)].map((m) => m[1] as string);
  if (replaced.length > 0)
    return tampered(
      `the code under test changed the test runner (${replaced.slice(0, 5).join('; ')}), so the tests' verdict is not theirs; a program must not modify ${adapterOf(language).verify.testRunner}`,
    );
  const problem =
    language === 'python'
      ? pythonMismatch(output, step.exitCode)
      : language === 'java'
        ? javaMismatch(output, step.exitCode)
        : adapterOf(language).verify.verdictMismatch(output, step.exitCode);
  return problem === undefined ? undefined : tampered(problem);
}

function tampered(message: string): ExtractedError {
  return { type: VERDICT_TAMPERED, message };
}

function pythonMismatch(output: string, exitCode: number | null): string | undefined {
  const own = [...output.matchAll(PYTHON_COUNT)];
  const ran = [...output.matchAll(/^Ran (\d+) tests? in /gm)];
  if (own.length > 1 || ran.length > 1)
    return `the test results were reported more than once (${ran.length} unittest summaries, ${own.length} counts of the verifier's)`;
  const counted = own[0];
  if (!counted)
    return exitCode === 0 && ran.length === 1
      ? "the test process ended after unittest's summary but before the verifier's own count (something ended it with status 0)"
      : undefined;
  const [run, failures, errors, skipped, expected, unexpected] = counted.slice(1).map(Number) as number[];
  if (ran.length === 0) return "unittest's summary is missing, though the verifier counted the tests";
  const of = unittestSummary(output);
  const theirs = {
    run: Number(ran[0]?.[1]),
    failures: of('failures'),
    errors: of('errors'),
    skipped: of('skipped'),
    expected: of('expected failures'),
    unexpected: of('unexpected successes'),
  };
  const ours = { run, failures, errors, skipped, expected, unexpected };
  const differ = (Object.keys(ours) as (keyof typeof ours)[]).filter((k) => ours[k] !== theirs[k]);
  if (differ.length > 0)
    return `unittest counted ${differ.map((k) => `${k}=${theirs[k]}`).join(', ')} where the verifier counted ${differ.map((k) => `${k}=${ours[k]}`).join(', ')}`;
  if (exitCode === 0 && (failures ?? 0) + (errors ?? 0) + (unexpected ?? 0) > 0)
    return 'the test process exited with status 0 although tests failed';
  return undefined;
}

function javaMismatch(output: string, exitCode: number | null): string | undefined {
  const summaries = [...output.matchAll(JAVA_SUMMARY)];
  if (summaries.length > 1) return `the test results were reported ${summaries.length} times`;
  const summary = summaries[0];
  if (!summary) return undefined;
  const run = Number(summary[1]);
  const failed = Number(summary[2]);
  const passedClasses = [...output.matchAll(mark('passed (\\S+)'))].map((m) => m[1] as string);
  const failedClasses = [...output.matchAll(mark('failed (\\S+)'))].map((m) => m[1] as string);
  if (passedClasses.length + failedClasses.length !== run || failedClasses.length !== failed)
    return `the test run counted run=${run} failed=${failed}, but reported ${passedClasses.length} passed and ${failedClasses.length} failed test classes`;
  if (exitCode === 0 && failed > 0) return 'the test step exited with status 0 although tests failed';
  // On a JVM without a security manager (JDK 24+) an exit status cannot be guarded: only a main that
  // returned is a pass there.
  const unguarded = new Set([...output.matchAll(mark('unguarded (\\S+)'))].map((m) => m[1]));
  const returned = new Set([...output.matchAll(mark('returned (\\S+)'))].map((m) => m[1]));
  const unproven = passedClasses.filter((c) => unguarded.has(c) && !returned.has(c));
  if (unproven.length > 0)
    return `${unproven.join(', ')} exited with status 0 without returning from main, on a JVM whose exit status the runner cannot guard (no security manager): a test passes there only by returning`;
  return undefined;
}
