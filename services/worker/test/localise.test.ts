import { REFUSED_UNRUN } from '@hardfix/contracts';
import { blockRangeOfPrompt, oracleModel } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

/*
 * Issue 24's second miss, through the whole service: the crash is in the deepest recursive frame, the
 * fault at the call site that started the recursion (in the same traceback, far from the crash). The
 * model is the test kit's oracle: it answers the correct text of whatever block it is shown, so the
 * project is repaired exactly when hard fix moves its block to the caller.
 */
const broken = lines(
  'def walk(xs, i):', // 1
  '    if i == len(xs):', // 2
  '        return 0', // 3
  '    return walk(xs, i + 1) + xs[i]', // 4
  '',
  '',
  'def table(n):', // 7
  ...Array.from({ length: 32 }, (_, i) => `    row${i} = n * ${i}`), // 8-39
  '    return n', // 40
  '',
  '',
  'def solve(xs):', // 43
  '    return walk(xs, len(xs) + 1)', // 44
);
const fixed = broken.replace('    return walk(xs, len(xs) + 1)', '    return walk(xs, 0)');
const test = lines(
  'import unittest',
  'from prog import solve',
  '',
  '',
  'class SolveTest(unittest.TestCase):',
  '    def test_solve(self):',
  '        self.assertEqual(solve([1, 2, 3]), 6)',
);
const main = lines('from prog import table', '', 'print(table(2))');

describe('the block moves to the caller when the crash keeps failing', { timeout: 120_000 }, () => {
  const startHarness = harnessPerTest();

  it('a RecursionError deep in walk, fault in solve: the crash block is not shown a third time, and a duplicate costs one attempt', async () => {
    const files = [
      { path: 'main.py', content: main },
      { path: 'prog.py', content: broken },
      { path: 'test_prog.py', content: test },
    ];
    const fixedFiles = files.map((f) => (f.path === 'prog.py' ? { ...f, content: fixed } : f));
    const h = await startHarness(
      { RETRY_INTERVAL_MS: '50' },
      { fake: { handler: oracleModel(new Map([['deep', fixedFiles]])) } },
    );
    const id = await h.importProject('deep', 'python', files, 'main.py');
    const project = await h.waitForStatus(id, ['delivered', 'manual-review'], 100_000);

    expect(project.status).toBe('delivered');
    const attempts = project.attempts.filter((a) => a.stage === 'hard-fix');
    // The crash block failed (the oracle's answer there changes nothing), then drew a duplicate: it is
    // spent, and the third attempt shows the caller.
    expect(attempts.map((a) => [a.outcome, a.error?.type])).toEqual([
      ['failed', 'RecursionError'],
      ['failed', REFUSED_UNRUN.duplicate],
      ['passed', undefined],
    ]);
    const shown = h.fake.callsFor('replace_block').map((r) => blockRangeOfPrompt(r.userText));
    expect(shown).toEqual([
      { file: 'prog.py', startLine: 1, endLine: 4 },
      { file: 'prog.py', startLine: 1, endLine: 4 },
      { file: 'prog.py', startLine: 43, endLine: 44 },
    ]);
    const third = h.fake.callsFor('replace_block')[2]?.userText ?? '';
    expect(third).toMatch(/This block was chosen because it holds a caller in the failing stack/);
    expect(third).toMatch(
      /It replaces prog\.py lines 1-4, shown before: the model repeated an earlier candidate there/,
    );
    expect(h.fake.callsFor('replace_block')[0]?.userText).toMatch(/line the error was raised at/);
  });
});
