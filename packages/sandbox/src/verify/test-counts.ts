import type { Language, TestCounts } from '@hardfix/contracts';

/**
 * Lines the test runners write for the verifier (java.ts, java-runner.ts, python.ts): each test's
 * outcome and the runner's own count, checked by test-verdict.ts; not part of the program's output.
 */
export const TEST_MARK = '[hardfix-test]';
const PYTHON_OWN_COUNT =
  /^\[hardfix-test\] python run=(\d+) failures=(\d+) errors=(\d+) skipped=(\d+) expected=(\d+) unexpected=(\d+)$/gm;
const JAVA_SUMMARY = /^\[hardfix-test\] run=(\d+) failed=(\d+)$/m;

/**
 * How many tests the test step ran, passed and failed, read from the runner's own summary. Undefined
 * when the runner died before printing one (a test file that does not even import, say).
 */
export function countTests(language: Language, stdout: string, stderr: string): TestCounts | undefined {
  const output = `${stdout}\n${stderr}`;
  if (language === 'python') {
    // The runner's own count (python.ts), which the program cannot patch; unittest's summary otherwise.
    const own = [...output.matchAll(PYTHON_OWN_COUNT)];
    if (own.length === 1 && own[0]) {
      const [run, failures, errors, skipped, , unexpected] = own[0].slice(1).map(Number) as number[];
      const failed = (failures ?? 0) + (errors ?? 0) + (unexpected ?? 0);
      return { run: run ?? 0, failed, passed: Math.max(0, (run ?? 0) - failed - (skipped ?? 0)) };
    }
    const ran = /^Ran (\d+) tests? in /m.exec(output);
    if (!ran) return undefined;
    const run = Number(ran[1]);
    const of = unittestSummary(output);
    // Skipped tests did not fail, but they did not pass either.
    const failed = of('failures') + of('errors') + of('unexpected successes');
    return { run, failed, passed: Math.max(0, run - failed - of('skipped')) };
  }
  if (language !== 'java') {
    // The TAP reporter ends with "# tests 3", "# pass 2", "# fail 1", "# cancelled 0", ...
    const num = (name: string) =>
      Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? Number.NaN);
    const run = num('tests');
    if (Number.isNaN(run)) return undefined;
    const failed = (num('fail') || 0) + (num('cancelled') || 0);
    return { run, failed, passed: num('pass') || 0 };
  }
  const m = JAVA_SUMMARY.exec(output);
  if (!m) return undefined;
  const run = Number(m[1]);
  const failed = Number(m[2]);
  return { run, failed, passed: run - failed };
}

/** What JDK 17 to 23 print when the java test runner installs its exit guard (java-runner.ts). */
const JDK_GUARD_WARNING =
  /^WARNING: (A terminally deprecated method in java\.lang\.System|System::setSecurityManager|Please consider reporting this to the maintainers of hardfix\.)/;

/**
 * The counts of unittest's last line: "FAILED (failures=1, skipped=2)", or, when all that ran passed,
 * "OK (skipped=2, expected failures=1)"; a kind it does not name is 0. Keys are matched whole:
 * "expected failures" is not "failures".
 */
export function unittestSummary(output: string): (kind: string) => number {
  const summary = /^(?:FAILED|OK)(?: \(([^)]*)\))?$/m.exec(output)?.[1] ?? '';
  const counts = new Map(
    summary
      .split(', ')
      .map((pair) => /^([a-z ]+)=(\d+)$/.exec(pair))
      .filter((m) => m !== null)
      .map((m) => [m[1], Number(m[2])]),
  );
  return (kind) => counts.get(kind) ?? 0;
}

/** The output without the java test step's bookkeeping lines, for error extraction. */
export function withoutTestMarks(output: string): string {
  return output
    .split('\n')
    .filter((l) => !l.startsWith(TEST_MARK) && !JDK_GUARD_WARNING.test(l))
    .join('\n');
}
