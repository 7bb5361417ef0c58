import { TEST_MARK, type TestCounts } from '../types.js';

/**
 * The python test runner (verify.ts) writes its own count after unittest's summary:
 * `[hardfix-test] python run=N failures=N errors=N skipped=N expected=N unexpected=N`. That count is
 * the verdict; unittest's `Ran N tests` line is only read when the runner's is absent.
 */
const escapeRegExp = (s: string) => s.replace(/[[\]\\^$.|?*+(){}]/g, '\\$&');
const mark = (rest: string) => new RegExp(`^${escapeRegExp(TEST_MARK)} ${rest}$`, 'gm');
const PYTHON_COUNT = mark(
  'python run=(\\d+) failures=(\\d+) errors=(\\d+) skipped=(\\d+) expected=(\\d+) unexpected=(\\d+)',
);

export function countTests(stdout: string, stderr: string): TestCounts | undefined {
  const output = `${stdout}\n${stderr}`;
  // The runner's own count (verify.ts), which the program cannot patch; unittest's summary otherwise.
  const own = [...output.matchAll(PYTHON_COUNT)];
  if (own.length === 1 && own[0]) {
    const [run, failures, errors, skipped, , unexpected] = own[0].slice(1).map(Number) as number[];
    const failed = (failures ?? 0) + (errors ?? 0) + (unexpected ?? 0);
    return { run: run ?? 0, failed, passed: Math.max(0, (run ?? 0) - failed - (skipped ?? 0)) };
  }
  const ran = /^Ran (\d+) tests? in /m.exec(output);
  if (!ran) return undefined;
  const run = Number(ran[1]);
  const of = unittestSummary(output);
  const failed = of('failures') + of('errors') + of('unexpected successes');
  // Skipped tests did not fail, but they did not pass either.
  return { run, failed, passed: Math.max(0, run - failed - of('skipped')) };
}

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

export function verdictMismatch(output: string, exitCode: number | null): string | undefined {
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
