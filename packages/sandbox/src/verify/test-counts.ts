import type { Language, TestCounts } from '@hardfix/contracts';
import { ADAPTERS, adapterOf, TEST_MARK } from '@hardfix/languages';

/**
 * Lines the test runners write for the verifier (each language adapter's verify.ts): each test's
 * outcome and the runner's own count, checked by test-verdict.ts; not part of the program's output.
 */
export { TEST_MARK };

/**
 * How many tests the test step ran, passed and failed, read from the runner's own summary (the
 * language adapter's countTests). Undefined when the runner died before printing one (a test file that
 * does not even import, say).
 */
export function countTests(language: Language, stdout: string, stderr: string): TestCounts | undefined {
  return adapterOf(language).verify.countTests(stdout, stderr);
}

/** Lines a runtime prints around its test runner (an adapter's verify.noise), of any language. */
const NOISE = ADAPTERS.flatMap((a) => ('noise' in a.verify && a.verify.noise ? [a.verify.noise] : []));

/** The output without the test step's bookkeeping lines, for error extraction. */
export function withoutTestMarks(output: string): string {
  return output
    .split('\n')
    .filter((l) => !l.startsWith(TEST_MARK) && !NOISE.some((n) => n.test(l)))
    .join('\n');
}
