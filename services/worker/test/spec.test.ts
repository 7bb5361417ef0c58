import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FixLibrary, MANIFEST_FILE } from '@hardfix/core';
import { type FakeRequest, writeFilesAnswer } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';

const REQUEST =
  'Write a small calculator module calc.py with add(a, b) returning the sum of two numbers and ' +
  'double(x) returning twice x, and a main.py that prints the sum of 2 and 2. ' +
  'Keep it to the standard library; the program must finish on its own.';

const MAIN = { path: 'main.py', content: 'from calc import add\n\nprint("sum", add(2, 2))\n' };
// The mistake only a test can see: the entry runs and exits 0 either way.
const WRONG_CALC = {
  path: 'calc.py',
  content: 'def add(a, b):\n    return a - b\n\n\ndef double(x):\n    return x * 2\n',
};
const TEST = {
  path: 'test_calc.py',
  content: [
    'import unittest',
    'from calc import add, double',
    '',
    '',
    'class CalcTest(unittest.TestCase):',
    '    def test_add(self):',
    '        self.assertEqual(add(1, 2), 3)',
    '',
    '    def test_double(self):',
    '        self.assertEqual(double(4), 8)',
    '',
  ].join('\n'),
};

describe('tests are the spec', () => {
  const startHarness = harnessPerTest();

  it('runs the generated tests, refuses a candidate that edits them or only makes the entry exit 0, repairs the code under test, and caches the repeated prompt', async () => {
    const h = await startHarness({ NORMAL_RETRIES: '1' }, { fake: { cacheMinTokens: 256 } });
    const fixedCalc = { ...WRONG_CALC, content: WRONG_CALC.content.replace('a - b', 'a + b') };
    const editedTest = { ...TEST, content: TEST.content.replace('add(1, 2), 3', 'add(1, 2), -1') };
    h.fake.enqueue(
      'write_files',
      writeFilesAnswer([MAIN, WRONG_CALC, TEST]),
      // Smart retry: the code is right, but it "fixes" the test too. Refused all the same.
      writeFilesAnswer([MAIN, fixedCalc, editedTest]),
    );
    h.fake.enqueue('report_analysis', {
      tool: { confidence: 0.9, diagnosis: 'add subtracts', plan: 'make add add' },
    });
    h.fake.enqueue(
      'replace_block',
      // Gutted: main still exits 0 (it prints "sum 4"), but test_add fails.
      { tool: { code: 'def add(a, b):\n    return 4' } },
      { tool: { code: 'def add(a, b):\n    return a + b' } },
    );
    const { body } = await h.post('/projects', { name: 'calc', language: 'python', prompt: REQUEST });
    const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review']);

    // The generation prompt asked for a test file named as the verifier runs it.
    const generation = h.fake.callsFor('write_files')[0] as FakeRequest;
    expect(generation.userText).toContain('Include a small test file, test_<module>.py with unittest');

    expect(project.status).toBe('delivered');
    const summary = project.attempts.map((a) => [a.stage, a.n, a.outcome, a.error?.type, a.tests ?? null]);
    expect(summary, JSON.stringify(project.attempts)).toEqual([
      ['generation', 1, 'failed', 'AssertionError', { run: 2, passed: 1, failed: 1 }],
      ['smart-retry', 1, 'failed', 'SpecChanged', null],
      ['hard-fix', 1, 'failed', 'AssertionError', { run: 2, passed: 1, failed: 1 }],
      ['hard-fix', 2, 'passed', undefined, { run: 2, passed: 2, failed: 0 }],
    ]);
    expect(project.attempts[1]?.error?.message).toBe(
      'the candidate changes test_calc.py; tests are the spec and may not change',
    );

    // The smart retry's prompt carried the request and the failing test.
    const retry = h.fake.callsFor('write_files')[1] as FakeRequest;
    expect(retry.userText).toContain(`## Request\n${REQUEST}`);
    expect(retry.userText).toContain(
      'Failing test: test_add (test_calc.CalcTest.test_add) in test_calc.py line 7',
    );

    // The failure was raised in the test file; hard fix was pointed at the code under test.
    const [fix1, fix2] = h.fake.callsFor('replace_block') as [FakeRequest, FakeRequest];
    for (const call of [fix1, fix2]) {
      expect(call.userText).toContain(`## Request\n${REQUEST}`);
      expect(call.userText).toContain('## Block to replace: calc.py lines 1-2');
      expect(call.userText).toContain(
        'Test: test_add (test_calc.CalcTest.test_add)\nIn: test_calc.py line 7',
      );
      expect(call.userText).toContain('Assertion: self.assertEqual(add(1, 2), 3)');
      expect(call.userText).toContain('## Tests (the specification; fixed)\n### test_calc.py');
    }
    expect(fix1.userText).toContain('AssertionError: -1 != 3');
    expect(fix2.userText).toContain('AssertionError: 4 != 3');

    // The repeated prefix (system, request, tests, untouched files) is marked for caching, identically.
    type Block = { text: string; cache_control?: unknown };
    const blocks = (r: FakeRequest) => (r.body.messages as { content: Block[] }[])[0]?.content ?? [];
    expect(blocks(fix2)[0]?.cache_control).toEqual({ type: 'ephemeral' });
    expect(blocks(fix2)[0]?.text).toBe(blocks(fix1)[0]?.text);
    expect(blocks(fix2)[1]?.cache_control).toBeUndefined();
    expect(fix2.body.system).toEqual([
      { type: 'text', text: expect.stringContaining('replace_block'), cache_control: { type: 'ephemeral' } },
    ]);
    // ...and the second attempt read it from the cache: counted on the project and in /status.
    expect(project.usage.cacheWriteTokens).toBeGreaterThan(0);
    expect(project.usage.cacheReadTokens).toBeGreaterThan(200);
    const status = await h.get('/status');
    expect(status.body.llm).toMatchObject({
      calls: 5,
      cacheReadTokens: project.usage.cacheReadTokens,
      cacheWriteTokens: project.usage.cacheWriteTokens,
    });
    expect(
      (status.body.llm as { costPerDeliveredProjectUsd: number }).costPerDeliveredProjectUsd,
    ).toBeGreaterThan(0);

    // Delivered: the repaired code and the test file byte for byte as generation wrote it.
    const dir = join(h.deliveryDir, 'calc');
    expect(await readFile(join(dir, 'test_calc.py'), 'utf8')).toBe(TEST.content);
    expect(await readFile(join(dir, 'calc.py'), 'utf8')).toBe(fixedCalc.content);
    const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
    expect(manifest.verification.tests).toEqual({ run: 2, passed: 2, failed: 0 });
    expect(manifest.attempts.at(-1).tests).toEqual({ run: 2, passed: 2, failed: 0 });

    // Only the real fix was saved: neither the gutted candidate nor the edited test.
    const library = new FixLibrary(h.redis.redis, h.env.QUEUE_PREFIX);
    const saved = await library.list({}, 10);
    expect(saved.items.map((f) => [f.working_code, f.evidence])).toEqual([
      ['def add(a, b):\n    return a + b', 'tests'],
    ]);

    const view = await h.get(`/projects/${project.id}`);
    expect(view.body.tests).toEqual({ files: ['test_calc.py'] });
    expect((view.body.attempts as { tests?: unknown }[]).at(-1)?.tests).toEqual({
      run: 2,
      passed: 2,
      failed: 0,
    });
  });

  it.each([
    [
      'javascript',
      [
        { path: 'index.js', content: "const { add } = require('./calc');\nconsole.log(add(2, 2));\n" },
        { path: 'calc.js', content: 'module.exports = { add: (a, b) => a + b };\n' },
        {
          path: 'calc.test.js',
          content:
            "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('./calc');\n\ntest('adds', () => assert.strictEqual(add(1, 2), 3));\ntest('adds zero', () => assert.strictEqual(add(0, 0), 0));\n",
        },
      ],
      ['calc.test.js'],
      { run: 2, passed: 2, failed: 0 },
    ],
    [
      'java',
      [
        {
          path: 'Main.java',
          content:
            'public class Main {\n  public static void main(String[] a) {\n    System.out.println(Calc.add(2, 2));\n  }\n}\n',
        },
        { path: 'Calc.java', content: 'class Calc {\n  static int add(int a, int b) { return a + b; }\n}\n' },
        {
          path: 'CalcTest.java',
          content:
            'public class CalcTest {\n  public static void main(String[] a) {\n    if (Calc.add(1, 2) != 3) System.exit(1);\n  }\n}\n',
        },
      ],
      ['CalcTest.java'],
      { run: 1, passed: 1, failed: 0 },
    ],
  ] as const)(
    '%s: the generated tests run in the pipeline and are counted',
    async (language, files, testFiles, counts) => {
      const h = await startHarness();
      h.fake.enqueue('write_files', writeFilesAnswer([...files]));
      const { body } = await h.post('/projects', {
        name: `calc-${language}`,
        language,
        prompt: 'add numbers',
      });
      const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review']);
      expect(project.status).toBe('delivered');
      expect(project.attempts[0]?.tests).toEqual(counts);
      const view = await h.get(`/projects/${project.id}`);
      expect(view.body.tests).toEqual({ files: testFiles });
    },
  );

  it('an answer without tests is verified on its run alone and shows tests: none', async () => {
    const h = await startHarness();
    h.fake.enqueue('write_files', writeFilesAnswer([{ path: 'index.js', content: 'console.log("hi");\n' }]));
    const { body } = await h.post('/projects', { name: 'hi', language: 'javascript', prompt: 'say hi' });
    const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review']);
    expect(project.status).toBe('delivered');
    expect(h.fake.callsFor('write_files')).toHaveLength(1);
    const view = await h.get(`/projects/${project.id}`);
    expect(view.body.tests).toBe('none');
    expect((view.body.attempts as { tests?: unknown }[])[0]?.tests).toBeUndefined();
  });

  it('a project at its token budget stops calling the model and waits in manual review with the reason', async () => {
    const h = await startHarness({ PROJECT_TOKEN_BUDGET: '100' });
    h.fake.enqueue('write_files', writeFilesAnswer([{ path: 'main.py', content: 'print(PI)\n' }]));
    const { body } = await h.post('/projects', { name: 'pricey', language: 'python', prompt: 'print pi' });
    const project = await h.waitForStatus(body.id as string, ['manual-review', 'delivered']);
    expect(project).toMatchObject({ status: 'manual-review', stage: 'manual', reviewReason: 'budget' });
    // One call was within the budget; after it the project had spent more than 100 tokens.
    expect(h.fake.callsFor('write_files')).toHaveLength(1);
    expect(project.attempts.map((a) => [a.stage, a.n, a.outcome])).toEqual([['generation', 1, 'failed']]);
    const view = await h.get(`/projects/${project.id}`);
    expect(view.body).toMatchObject({ status: 'manual-review', reviewReason: 'budget' });
    const review = await h.get('/review');
    expect(review.body.items).toEqual([expect.objectContaining({ id: project.id, reason: 'budget' })]);
    expect((await h.get('/status')).body.llm).toMatchObject({ budgetStops: 1 });
    // Nothing more happens to it: once no stage job is left, still the one call.
    await h.settled();
    expect(h.fake.requests).toHaveLength(1);

    // A reviewer's retry grants a fresh budget, as it grants fresh attempts: one more call, then stop.
    h.fake.enqueue('replace_block', { tool: { code: 'print(PI_1)' } });
    expect((await h.post(`/review/${project.id}/retry`, {})).status).toBe(202);
    await h.waitForStatus(project.id, ['hard-fix']);
    const again = await h.waitForStatus(project.id, ['manual-review', 'delivered']);
    expect(again).toMatchObject({ status: 'manual-review', reviewReason: 'budget' });
    expect(h.fake.callsFor('replace_block')).toHaveLength(1);
    expect(again.attempts.map((a) => [a.stage, a.n, a.outcome])).toEqual([
      ['generation', 1, 'failed'],
      ['hard-fix', 1, 'failed'],
    ]);
  });
});
