import { TEST_MARK, type TestCounts } from '../types.js';
import { packageResults, testEvents, testResults } from './events.js';

const escapeRegExp = (s: string) => s.replace(/[[\]\\^$.|?*+(){}]/g, '\\$&');
const DECLARED = new RegExp(`^${escapeRegExp(TEST_MARK)} go declared(.*)$`, 'gm');

/** `go test -json`'s results of the top-level tests: passed, failed and skipped ones all ran. */
export function countTests(stdout: string, stderr: string): TestCounts | undefined {
  const events = testEvents(`${stdout}\n${stderr}`);
  if (packageResults(events).length === 0 && testResults(events).length === 0) return undefined;
  const results = testResults(events);
  const of = (action: string) => results.filter((e) => e.Action === action).length;
  return { run: results.length, passed: of('pass'), failed: of('fail') };
}

/**
 * The test binary is the program's own process, and test2json reads results from its output, so a
 * program that prints `--- PASS: TestX` adds a result. What the source declares (the plan's mark, read
 * from the files before anything ran) is held against what was reported: every declared test reported
 * exactly once and nothing else, one package result per package, and an exit status that agrees.
 */
export function verdictMismatch(output: string, exitCode: number | null): string | undefined {
  const marks = [...output.matchAll(DECLARED)];
  if (marks.length !== 1)
    return marks.length > 1 ? 'the declared tests were reported more than once' : undefined;
  const declared = (marks[0]?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const events = testEvents(output);
  const results = testResults(events);
  const packages = packageResults(events);
  // A build failure of the tests reports no test at all: the step's status fails it, nothing was forged.
  if (results.length === 0 && packages.every((p) => p.Action === 'fail') && exitCode !== 0) return undefined;
  const seen = new Map<string, number>();
  for (const r of results) if (r.Test) seen.set(r.Test, (seen.get(r.Test) ?? 0) + 1);
  const twice = [...seen].filter(([, n]) => n > 1).map(([name]) => name);
  if (twice.length > 0)
    return `go test reported a result more than once for ${twice.slice(0, 5).join(', ')}: something printed a test result line`;
  const want = new Map<string, number>();
  for (const name of declared) want.set(name, (want.get(name) ?? 0) + 1);
  const missing = [...want].filter(([name, n]) => (seen.get(name) ?? 0) < n).map(([name]) => name);
  const unknown = [...seen.keys()].filter((name) => !want.has(name) && !name.startsWith('Example'));
  if (unknown.length > 0)
    return `go test reported ${unknown.slice(0, 5).join(', ')}, which no test file declares: something printed a test result line`;
  const byPackage = new Map<string, number>();
  for (const p of packages) byPackage.set(p.Package ?? '', (byPackage.get(p.Package ?? '') ?? 0) + 1);
  if ([...byPackage.values()].some((n) => n > 1)) return 'go test reported a package result more than once';
  const failed =
    results.filter((r) => r.Action === 'fail').length + packages.filter((p) => p.Action === 'fail').length;
  if (exitCode === 0 && failed > 0)
    return 'the test step exited with status 0 although go test reported failures';
  if (exitCode === 0 && missing.length > 0)
    return `go test passed without reporting ${missing.slice(0, 5).join(', ')}: the test binary ended before its tests ran`;
  if (exitCode === 0 && results.length > 0 && packages.length === 0)
    return 'the test binary ended with status 0 before the testing package reported its result';
  return undefined;
}
