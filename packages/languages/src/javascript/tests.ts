import type { TestCounts } from '../types.js';

/** node:test's TAP summary (`# tests 3`, `# pass 2`, `# fail 1`): the counts. */
export function countTests(stdout: string, stderr: string): TestCounts | undefined {
  const output = `${stdout}\n${stderr}`;
  // The TAP reporter ends with "# tests 3", "# pass 2", "# fail 1", "# cancelled 0", ...
  const num = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? Number.NaN);
  const run = num('tests');
  if (Number.isNaN(run)) return undefined;
  const failed = (num('fail') || 0) + (num('cancelled') || 0);
  return { run, failed, passed: num('pass') || 0 };
}

export function verdictMismatch(output: string, exitCode: number | null): string | undefined {
  const summaries = [...output.matchAll(/^# tests (\d+)$/gm)];
  if (summaries.length > 1) return `node's test runner reported its summary ${summaries.length} times`;
  if (summaries.length === 0) return undefined;
  const num = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);
  const failed = num('fail') + num('cancelled');
  // A failing `todo` test is reported `not ok … # TODO` and fails nothing.
  const notOk = [...output.matchAll(/^\s*not ok \d+ - .*$/gm)].filter(
    (m) => !/#\s*TODO\b/i.test(m[0]),
  ).length;
  if (exitCode === 0 && (failed > 0 || notOk > 0))
    return `the test process exited with status 0 although node's test runner reported ${failed} failed and ${notOk} "not ok" results`;
  if (failed === 0 && notOk > 0)
    return `node's test runner counted no failure but reported ${notOk} "not ok" results`;
  return undefined;
}
