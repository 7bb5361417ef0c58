import type { Language } from '@hardfix/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, summariseVerification } from '../src/index.js';
import { file, makeSandbox, VERIFY_TIMEOUT_MS } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await makeSandbox();
});

const verify = (language: Language, files: { path: string; content: string }[]) =>
  sandbox.verify({ language, files, timeoutMs: VERIFY_TIMEOUT_MS * 2 });

// A program whose entry exits 0 but whose `add` is wrong: only the test can tell.
const PY_CALC = file(
  'calc.py',
  'def add(a, b):',
  '    return a - b',
  '',
  '',
  'def double(x):',
  '    return x * 2',
);
const PY_MAIN = file('main.py', 'from calc import add', '', 'print("sum", add(2, 2))');
const PY_TEST = file(
  'test_calc.py',
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
);

describe('tests are the spec: every language runs them and counts them', () => {
  it('python: a wrong add fails its unittest; the block is add in calc.py, not the test', async () => {
    const result = await verify('python', [PY_MAIN, PY_CALC, PY_TEST]);
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile', 'test']);
    expect(result.tests).toEqual({ run: 2, passed: 1, failed: 1 });
    expect(result.error).toMatchObject({
      type: 'AssertionError',
      message: '-1 != 3',
      file: 'calc.py',
      line: 1,
      block: { file: 'calc.py', startLine: 1, endLine: 2, code: 'def add(a, b):\n    return a - b' },
      test: {
        name: 'test_add (test_calc.CalcTest.test_add)',
        file: 'test_calc.py',
        line: 7,
        assertion: 'self.assertEqual(add(1, 2), 3)',
      },
    });
    expect(summariseVerification(result).tests).toEqual({ run: 2, passed: 1, failed: 1 });
  });

  it('python: an exception raised in the code under test points at that frame', async () => {
    const calc = file(
      'calc.py',
      'def add(a, b):',
      '    return a + undefined_name',
      '',
      '',
      'def double(x):',
      '    return x * 2',
    );
    const result = await verify('python', [PY_MAIN, calc, PY_TEST]);
    expect(result.error).toMatchObject({ type: 'NameError', file: 'calc.py', line: 2 });
    expect(result.error?.test?.name).toMatch(/test_add/);
    expect(result.tests).toMatchObject({ run: 2, failed: 1 });
  });

  it('python: when the asserting line calls nothing of the project, the call above it in the test is the code under test', async () => {
    const render = file(
      'render.py',
      'def header(title):',
      '    return title.upper()',
      '',
      '',
      'def render(title, body):',
      '    return header(title) + body',
    );
    const test = file(
      'test_render.py',
      'import unittest',
      'from render import render',
      '',
      '',
      'class RenderTest(unittest.TestCase):',
      '    def test_has_newline(self):',
      '        text = render("t", "b")',
      '        self.assertIn("\\n", text)',
    );
    const result = await verify('python', [file('main.py', 'print(1)'), render, test]);
    expect(result.error).toMatchObject({
      file: 'render.py',
      line: 5,
      block: { startLine: 5, endLine: 6 },
      test: { name: 'test_has_newline (test_render.RenderTest.test_has_newline)', line: 8 },
    });
  });

  it('python: passing tests are counted and the entry still runs', async () => {
    const calc = file(
      'calc.py',
      'def add(a, b):',
      '    return a + b',
      '',
      '',
      'def double(x):',
      '    return x * 2',
    );
    const result = await verify('python', [PY_MAIN, calc, PY_TEST]);
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile', 'test', 'run']);
    expect(result.tests).toEqual({ run: 2, passed: 2, failed: 0 });
  });

  it('python: a test module that does not import is a counted failure, not a crash', async () => {
    const broken = file('test_io.py', 'from calc import nothing_here');
    const calc = file(
      'calc.py',
      'def add(a, b):',
      '    return a + b',
      '',
      '',
      'def double(x):',
      '    return x * 2',
    );
    const result = await verify('python', [PY_MAIN, calc, PY_TEST, broken]);
    expect(result.ok).toBe(false);
    expect(result.tests).toEqual({ run: 3, passed: 2, failed: 1 });
  });

  it('python: code that exits while the tests import it fails, pointing at the exit, instead of passing untested', async () => {
    // The wrong add of PY_CALC; the script's exit runs at import, so the test module never gets to run.
    const main = file(
      'main.py',
      'import sys',
      'from calc import add',
      '',
      '',
      'def main():',
      '    print("sum", add(2, 2))',
      '    return 0',
      '',
      '',
      'sys.exit(main())',
    );
    const test = file(
      'test_main.py',
      'import unittest',
      'from main import add',
      '',
      '',
      'class MainTest(unittest.TestCase):',
      '    def test_add(self):',
      '        self.assertEqual(add(1, 2), 3)',
    );
    const result = await verify('python', [main, PY_CALC, test]);
    expect(result.ok).toBe(false);
    expect(result.steps.find((s) => s.phase === 'test')).toMatchObject({ exitCode: 0, stdout: 'sum 0\n' });
    expect(result.error).toMatchObject({ type: 'NoTestsRan', file: 'main.py', line: 10 });
    expect(result.error?.message).toMatch(/^the tests never ran/);
    expect(result.error?.block?.code).toContain('sys.exit(main())');

    // The same exit where it belongs, run only as the entry point: the tests run, and find the wrong add.
    const guarded = {
      path: 'main.py',
      content: main.content.replace('sys.exit(main())', "if __name__ == '__main__':\n    sys.exit(main())"),
    };
    const fixed = await verify('python', [guarded, PY_CALC, test]);
    expect(fixed.error).toMatchObject({ type: 'AssertionError', file: 'calc.py' });
    expect(fixed.tests).toEqual({ run: 1, passed: 0, failed: 1 });
  });

  it('python: test files that define no test, or skip every one, do not pass', async () => {
    const empty = file('test_calc.py', 'import calc');
    const result = await verify('python', [PY_MAIN, PY_CALC, empty]);
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ tests: { run: 0 }, error: { type: 'NoTestsRan' } });

    const skipped = file(
      'test_calc.py',
      'import unittest',
      'from calc import add',
      '',
      '',
      'class CalcTest(unittest.TestCase):',
      '    @unittest.skip("later")',
      '    def test_add(self):',
      '        self.assertEqual(add(1, 2), 3)',
    );
    const all = await verify('python', [PY_MAIN, PY_CALC, skipped]);
    expect(all).toMatchObject({ ok: false, tests: { run: 1, passed: 0, failed: 0 } });
    expect(all.error).toMatchObject({
      type: 'NoTestsRan',
      message: expect.stringMatching(/^no test passed: all 1 were skipped/),
    });
  });

  it('javascript: a test file that never gets to its tests (process.exit at load) fails, naming it', async () => {
    const index = file(
      'index.js',
      'function add(a, b) {',
      '  return a - b;',
      '}',
      'module.exports = { add };',
      'console.log(add(2, 2));',
      'process.exit(0);',
    );
    const test = file(
      'index.test.js',
      "const test = require('node:test');",
      "const assert = require('node:assert');",
      "const { add } = require('./index.js');",
      "test('adds', () => assert.strictEqual(add(2, 3), 5));",
    );
    const result = await verify('javascript', [index, test]);
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ type: 'NoTestsRan', file: 'index.js', line: 6 });
    expect(result.error?.message).toMatch(/^index\.test\.js ran no test/);

    // Skipping every test is no better.
    const fixed = file(
      'index.js',
      'function add(a, b) {',
      '  return a + b;',
      '}',
      'module.exports = { add };',
    );
    const skipped = file(
      'index.test.js',
      ...test.content.trimEnd().split('\n').slice(0, 3),
      "test('adds', { skip: true }, () => assert.strictEqual(add(2, 3), 5));",
    );
    const all = await verify('javascript', [fixed, skipped]);
    expect(all).toMatchObject({ ok: false, tests: { run: 1, passed: 0 }, error: { type: 'NoTestsRan' } });
  });

  it('javascript: node:test failure in the test file is moved to the function under test', async () => {
    const result = await verify('javascript', [
      file('index.js', "const { add } = require('./calc');", 'console.log(add(2, 2));'),
      file('calc.js', 'function add(a, b) {', '  return a - b;', '}', '', 'module.exports = { add };'),
      file(
        'calc.test.js',
        "const test = require('node:test');",
        "const assert = require('node:assert');",
        "const { add } = require('./calc');",
        '',
        "test('adds two numbers', () => {",
        '  assert.strictEqual(add(1, 2), 3);',
        '});',
        "test('adds zero', () => {",
        '  assert.strictEqual(add(0, 0), 0);',
        '});',
      ),
    ]);
    expect(result.ok).toBe(false);
    expect(result.tests).toEqual({ run: 2, passed: 1, failed: 1 });
    expect(result.error).toMatchObject({
      type: 'AssertionError',
      file: 'calc.js',
      line: 1,
      block: { file: 'calc.js', startLine: 1, endLine: 3 },
      test: { name: 'adds two numbers', file: 'calc.test.js', line: 6 },
    });
  });

  it('javascript: an object-literal method is found as the code under test', async () => {
    const result = await verify('javascript', [
      file('index.js', "console.log(require('./calc').add(2, 2));"),
      file('calc.js', 'module.exports = {', '  add: (a, b) => a - b,', '};'),
      file(
        'calc.test.js',
        "const test = require('node:test');",
        "const assert = require('node:assert');",
        "const calc = require('./calc');",
        "test('adds', () => assert.strictEqual(calc.add(1, 2), 3));",
      ),
    ]);
    expect(result.error).toMatchObject({
      file: 'calc.js',
      line: 2,
      block: { startLine: 2, endLine: 2, code: '  add: (a, b) => a - b,' },
      test: { name: 'adds', file: 'calc.test.js' },
    });
  });

  it('java: *Test classes run (main exits non-zero on failure), counted, the block is the method', async () => {
    const main = file(
      'Main.java',
      'public class Main {',
      '  public static void main(String[] args) {',
      '    System.out.println(Calc.add(2, 2));',
      '  }',
      '}',
    );
    const calc = (op: string) =>
      file(
        'Calc.java',
        'public class Calc {',
        '  static int add(int a, int b) {',
        `    return a ${op} b;`,
        '  }',
        '}',
      );
    const test = (name: string, check: string) =>
      file(
        `${name}.java`,
        `public class ${name} {`,
        '  public static void main(String[] args) {',
        `    if (${check}) throw new AssertionError("add(1, 2) should be 3");`,
        '  }',
        '}',
      );
    const files = [main, test('CalcTest', 'Calc.add(1, 2) != 3'), test('ZeroTest', 'Calc.add(0, 0) != 0')];
    const failing = await verify('java', [...files, calc('-')]);
    expect(failing.ok).toBe(false);
    expect(failing.steps.map((s) => s.phase)).toEqual(['compile', 'test']);
    expect(failing.tests).toEqual({ run: 2, passed: 1, failed: 1 });
    expect(failing.error).toMatchObject({
      type: 'AssertionError',
      message: 'add(1, 2) should be 3',
      file: 'Calc.java',
      line: 2,
      block: { file: 'Calc.java', startLine: 2, endLine: 4 },
      test: { name: 'CalcTest', file: 'CalcTest.java', line: 3 },
    });

    const passing = await verify('java', [...files, calc('+')]);
    expect(passing.ok).toBe(true);
    expect(passing.steps.map((s) => s.phase)).toEqual(['compile', 'test', 'run']);
    expect(passing.tests).toEqual({ run: 2, passed: 2, failed: 0 });
  });

  it('a project without tests is verified on its run alone, with no counts', async () => {
    const result = await verify('python', [file('main.py', 'print(1)')]);
    expect(result.ok).toBe(true);
    expect(result.tests).toBeUndefined();
  });
});
