import type { Language, TestCounts } from '@hardfix/contracts';

/** Lines the java test step prints around each test class (see java.ts); not part of the program's output. */
export const JAVA_TEST_MARK = '[hardfix-test]';
const JAVA_SUMMARY = /^\[hardfix-test\] run=(\d+) failed=(\d+)$/m;

/**
 * How many tests the test step ran, passed and failed, read from the runner's own summary. Undefined
 * when the runner died before printing one (a test file that does not even import, say).
 */
export function countTests(language: Language, stdout: string, stderr: string): TestCounts | undefined {
  const output = `${stdout}\n${stderr}`;
  if (language === 'python') {
    const ran = /^Ran (\d+) tests? in /m.exec(output);
    if (!ran) return undefined;
    const run = Number(ran[1]);
    // "FAILED (failures=1, skipped=2)" or, when all that ran passed, "OK (skipped=2)".
    const summary = /^(?:FAILED|OK) \(([^)]*)\)$/m.exec(output)?.[1] ?? '';
    const of = (kind: string) => Number(new RegExp(`\\b${kind}=(\\d+)`).exec(summary)?.[1] ?? 0);
    // Skipped tests did not fail, but they did not pass either.
    const failed = of('failures') + of('errors') + of('unexpected successes');
    return { run, failed, passed: Math.max(0, run - failed - of('skipped')) };
  }
  if (language === 'javascript') {
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

/** The output without the java test step's bookkeeping lines, for error extraction. */
export function withoutTestMarks(output: string): string {
  return output
    .split('\n')
    .filter((l) => !l.startsWith(JAVA_TEST_MARK))
    .join('\n');
}
