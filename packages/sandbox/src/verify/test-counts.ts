import type { Language, TestCounts } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';

/**
 * Lines the test runners write for the verifier (java.ts, java-runner.ts, python.ts): each test's
 * outcome and the runner's own count, checked by test-verdict.ts; not part of the program's output.
 */
export const TEST_MARK = '[hardfix-test]';

/**
 * How many tests the test step ran, passed and failed, read from the runner's own summary (the
 * language adapter's countTests). Undefined when the runner died before printing one (a test file that
 * does not even import, say).
 */
export function countTests(language: Language, stdout: string, stderr: string): TestCounts | undefined {
  return adapterOf(language).verify.countTests(stdout, stderr);
}

/** What JDK 17 to 23 print when the java test runner installs its exit guard (java-runner.ts). */
const JDK_GUARD_WARNING =
  /^WARNING: (A terminally deprecated method in java\.lang\.System|System::setSecurityManager|Please consider reporting this to the maintainers of hardfix\.)/;

/** The output without the java test step's bookkeeping lines, for error extraction. */
export function withoutTestMarks(output: string): string {
  return output
    .split('\n')
    .filter((l) => !l.startsWith(TEST_MARK) && !JDK_GUARD_WARNING.test(l))
    .join('\n');
}
