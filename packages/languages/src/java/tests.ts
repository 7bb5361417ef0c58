import { TEST_MARK, type TestCounts } from '../types.js';

const escapeRegExp = (s: string) => s.replace(/[[\]\\^$.|?*+(){}]/g, '\\$&');
const mark = (rest: string) => new RegExp(`^${escapeRegExp(TEST_MARK)} ${rest}$`, 'gm');
const JAVA_SUMMARY = mark('run=(\\d+) failed=(\\d+)');
const COUNT = /^\[hardfix-test\] run=(\d+) failed=(\d+)$/m;

/** The java test step's own summary (verify.ts): `[hardfix-test] run=N failed=N`. */
export function countTests(stdout: string, stderr: string): TestCounts | undefined {
  const output = `${stdout}\n${stderr}`;
  const m = COUNT.exec(output);
  if (!m) return undefined;
  const run = Number(m[1]);
  const failed = Number(m[2]);
  return { run, failed, passed: run - failed };
}

export function verdictMismatch(output: string, exitCode: number | null): string | undefined {
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
