import type { CodeBlock, ProjectFile } from '@hardfix/contracts';
import { applyBlock } from '@hardfix/core';
import { type FakeRequest, parseBlockCode, writeFilesAnswer } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';
import { BROKEN_AREA, FIXED_AREA_BLOCK } from './programs.js';

/** The block a hard-fix request asks to replace: its range from the heading, its code from `<block>`. */
function blockOf(req: FakeRequest): CodeBlock {
  const m = /^## Block to replace: (\S+) lines (\d+)-(\d+)$/m.exec(req.userText);
  if (!m) throw new Error(`no block in the request:\n${req.userText}`);
  return {
    file: m[1] as string,
    startLine: Number(m[2]),
    endLine: Number(m[3]),
    code: parseBlockCode(req.userText) ?? '',
  };
}

/** The cached start of the user message (request, analysis, tests, untouched files). */
function contextOf(req: FakeRequest): string | undefined {
  return (req.body.messages as { content: { text: string }[] }[])[0]?.content[0]?.text;
}

const contentOf = (files: ProjectFile[], path: string) => files.find((f) => f.path === path)?.content;

// Up to seven sandboxed runs each: generous for a loaded two-core machine.
describe('hard fix learns from what failed', { timeout: 90_000 }, () => {
  const startHarness = harnessPerTest();

  it('reverts a candidate that got no further: the next attempt shows the original block, the candidate with its error, the analysis, and patches the original files', async () => {
    const h = await startHarness();
    h.fake.enqueue(
      'write_files',
      writeFilesAnswer([BROKEN_AREA]),
      writeFilesAnswer([BROKEN_AREA]),
      writeFilesAnswer([BROKEN_AREA]),
    );
    h.fake.enqueue('report_analysis', {
      tool: { confidence: 0.3, diagnosis: 'PI is never defined', plan: 'import math and use math.pi' },
    });
    // Longer than the block and still failing: were it carried forward, every line after it would move.
    const stillBroken = 'import os\n\n\ndef area(r):\n    return PI_1 * r * r\n\n\nprint(area(2))';
    h.fake.enqueue('replace_block', { tool: { code: stillBroken } }, { tool: { code: FIXED_AREA_BLOCK } });
    const { body } = await h.post('/projects', {
      name: 'circle',
      language: 'python',
      prompt: 'area of a circle',
    });
    const id = body.id as string;
    const project = await h.waitForStatus(id, ['delivered', 'manual-review']);

    expect(project.status).toBe('delivered');
    expect(project.attempts.filter((a) => a.stage === 'hard-fix').map((a) => [a.n, a.outcome])).toEqual([
      [1, 'failed'],
      [2, 'passed'],
    ]);
    const [first, second] = h.fake.callsFor('replace_block') as [FakeRequest, FakeRequest];

    // The original block, both times: not the failed candidate.
    const original = blockOf(first);
    expect(original.code).toContain('return PI * r * r');
    expect(blockOf(second)).toEqual(original);
    expect(parseBlockCode(second.userText)).not.toContain('PI_1');

    // The failed candidate, with its range, the error it produced and its output, and not to repeat it.
    expect(second.userText).toContain('## Earlier candidates that did not work (1): do not repeat them');
    expect(second.userText).toContain(
      `It replaced ${original.file} lines ${original.startLine}-${original.endLine} with:\n\`\`\`python\n${stillBroken}\n\`\`\``,
    );
    expect(second.userText).toContain(
      "### Attempt 1: NameError\n\nError: name 'PI_1' is not defined (at main.py line 5)",
    );
    expect(second.userText).toMatch(
      /Output \(tail\):\n```\n[\s\S]*NameError: name 'PI_1' is not defined\n```/,
    );
    expect(second.userText).toContain('Reverted: it got no further');

    // The analysis is carried; the cached prefix is the same for both attempts.
    expect(contextOf(first)).toContain('Diagnosis: PI is never defined\nPlan: import math and use math.pi');
    expect(contextOf(second)).toBe(contextOf(first));
    // A NameError is a runtime error: it gets that instruction, not the syntax one.
    for (const call of [first, second]) {
      expect(call.userText).toContain('The failure: an uncaught error while the code runs.');
      expect(call.userText).not.toContain('Fix syntax errors only');
    }

    // The files: the failed candidate was reverted, and the fix applied to the original files.
    const attempt1 = await h.store.getAttemptFiles(id, 'hard-fix', 1);
    expect(attempt1?.kept).toBe(false);
    expect(attempt1?.lastFailure).toMatchObject({ type: 'NameError', phase: 'run' });
    const attempt2 = await h.store.getAttemptFiles(id, 'hard-fix', 2);
    expect(attempt2?.files).toEqual(applyBlock([BROKEN_AREA], original, FIXED_AREA_BLOCK));
    expect(contentOf(attempt2?.files ?? [], 'main.py')).not.toContain('import os');
    expect((await h.store.getFiles(id)).files).toEqual(attempt2?.files);
  });

  it('keeps a candidate that got further (one more test passes): the next attempt patches it, told so, with the instruction for a failing assertion', async () => {
    const h = await startHarness();
    const calc = {
      path: 'calc.py',
      content: 'def add(a, b):\n    return a - b\n\n\ndef mul(a, b):\n    return a ** b\n',
    };
    const main = { path: 'main.py', content: 'from calc import add, mul\n\nprint(add(2, 3), mul(2, 3))\n' };
    const test = {
      path: 'test_calc.py',
      content: [
        'import unittest',
        'from calc import add, mul',
        '',
        '',
        'class CalcTest(unittest.TestCase):',
        '    def test_add(self):',
        '        self.assertEqual(add(2, 3), 5)',
        '',
        '    def test_mul(self):',
        '        self.assertEqual(mul(2, 3), 6)',
        '',
      ].join('\n'),
    };
    // Each answer repairs one of the two bugs in the block it is shown (mul first, when it is there).
    h.fake.setHandler((req) => {
      if (req.toolName !== 'replace_block') return undefined;
      const code = parseBlockCode(req.userText) ?? '';
      const fixed = code.includes('a ** b')
        ? code.replace('a ** b', 'a * b')
        : code.replace('a - b', 'a + b');
      return { tool: { code: fixed } };
    });
    const id = await h.importProject('calc', 'python', [calc, main, test]);
    const project = await h.waitForStatus(id, ['delivered', 'manual-review']);

    expect(project.status).toBe('delivered');
    expect(project.attempts.map((a) => [a.stage, a.n, a.outcome, a.error?.type, a.tests?.passed])).toEqual([
      ['import', 1, 'failed', 'AssertionError', 0],
      ['hard-fix', 1, 'failed', 'AssertionError', 1],
      ['hard-fix', 2, 'passed', undefined, 2],
    ]);
    const [first, second] = h.fake.callsFor('replace_block') as [FakeRequest, FakeRequest];
    for (const call of [first, second]) {
      expect(call.userText).toContain("The failure: a test's expectation is not met (a failing assertion).");
      expect(call.userText).toContain('Fix the logic the failing test checks');
      expect(call.userText).not.toMatch(/syntax errors only/i);
    }
    // The second attempt's files are the first candidate's: the block and the whole file show its fix.
    expect((await h.store.getAttemptFiles(id, 'hard-fix', 1))?.kept).toBe(true);
    expect(second.userText).toContain('Kept: it got further than the files it patched');
    expect(second.userText).toMatch(/## The whole file calc\.py, for context\n[\s\S]*return a \* b/);
    expect(parseBlockCode(second.userText)).toContain('a - b');
    const delivered = (await h.store.getFiles(id)).files;
    expect(contentOf(delivered, 'calc.py')).toBe(
      'def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n    return a * b\n',
    );
    expect(contentOf(delivered, 'test_calc.py')).toBe(test.content);
  });
});
