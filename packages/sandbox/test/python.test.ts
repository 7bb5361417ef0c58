import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { file, makeSandbox, VERIFY_TIMEOUT_MS } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await makeSandbox();
});

const verify = (files: { path: string; content: string }[], entry?: string) =>
  sandbox.verify({
    language: 'python',
    files,
    timeoutMs: VERIFY_TIMEOUT_MS,
    ...(entry ? { entry } : {}),
  });

describe('python verification', () => {
  it('accepts a working project without tests', async () => {
    const result = await verify([
      file('main.py', 'from util import double', 'print(double(21))'),
      file('util.py', 'def double(x):', '    return 2 * x'),
    ]);
    expect(result.ok).toBe(true);
    expect(result.error).toBeUndefined();
    expect(result.steps.map((s) => s.phase)).toEqual(['compile', 'run']);
    expect(result.steps[1]?.stdout).toBe('42\n');
  });

  it('runs unittest and plain-assert tests and accepts a passing project', async () => {
    const result = await verify([
      file('main.py', 'from calc import add', 'print(add(1, 2))'),
      file('calc.py', 'def add(a, b):', '    return a + b'),
      file(
        'tests/test_calc.py',
        'import unittest',
        'from calc import add',
        '',
        'class T(unittest.TestCase):',
        '    def test_add(self):',
        '        self.assertEqual(add(2, 2), 4)',
      ),
      file('calc_test.py', 'from calc import add', '', 'def test_add():', '    assert add(1, 1) == 2'),
    ]);
    expect(result.ok).toBe(true);
    const test = result.steps.find((s) => s.phase === 'test');
    expect(test?.stderr).toMatch(/Ran 2 tests/);
  });

  it('extracts a NameError at the last project frame with its code block', async () => {
    const util = file(
      'images/resize.py',
      'import os',
      '',
      '',
      'def helper():',
      '    return 1',
      '',
      '',
      'def resize(path):',
      '    img = Image.open(path)',
      '    return img',
      '',
      '',
      'def unused():',
      '    return 2',
      '',
      '',
      'X = 1',
    );
    const result = await verify([
      file('main.py', 'from images.resize import resize', "resize('a.png')"),
      util,
    ]);
    expect(result.ok).toBe(false);
    expect(result.steps.at(-1)?.phase).toBe('run');
    expect(result.error).toMatchObject({
      type: 'NameError',
      message: "name 'Image' is not defined",
      file: 'images/resize.py',
      line: 9,
    });
    const lines = util.content.split('\n');
    expect(result.error?.block).toEqual({
      file: 'images/resize.py',
      startLine: 4,
      endLine: 14,
      code: lines.slice(3, 14).join('\n'),
    });
  });

  it('reports a SyntaxError from the compile step, before anything runs', async () => {
    const result = await verify([
      file('main.py', 'print("ok")'),
      file('lib.py', 'x = 1', 'def f(:', '    pass'),
    ]);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile']);
    expect(result.error).toMatchObject({
      type: 'SyntaxError',
      message: 'invalid syntax',
      file: 'lib.py',
      line: 2,
    });
    expect(result.error?.block).toMatchObject({ startLine: 1, endLine: 3 });
  });

  it('reports an IndentationError', async () => {
    const result = await verify([file('main.py', 'def f():', 'return 1')]);
    expect(result.error).toMatchObject({ type: 'IndentationError', file: 'main.py', line: 2 });
    expect(result.error?.message).toMatch(/expected an indented block/);
  });

  it('reports a failing unittest assertion at the test line, and hands the code (not the test) to repair', async () => {
    const result = await verify([
      file('main.py', 'print(1)'),
      file(
        'test_math.py',
        'import unittest',
        '',
        'class T(unittest.TestCase):',
        '    def test_x(self):',
        '        self.assertEqual(1 + 1, 3)',
      ),
    ]);
    expect(result.steps.at(-1)?.phase).toBe('test');
    // Nothing in main.py is called by the test, so the whole entry file is the code under test.
    expect(result.error).toMatchObject({
      type: 'AssertionError',
      message: '2 != 3',
      file: 'main.py',
      test: { file: 'test_math.py', line: 5, assertion: 'self.assertEqual(1 + 1, 3)' },
    });
    expect(result.error?.block).toBeUndefined();
  });

  it('fails with MissingEntryPoint when main.py is absent', async () => {
    const result = await verify([file('app.py', 'print(1)')]);
    expect(result).toMatchObject({ ok: false, steps: [], error: { type: 'MissingEntryPoint' } });
    expect(result.error?.message).toContain('main.py');
  });

  it('honours a custom entry', async () => {
    const result = await verify([file('app/cli.py', 'print("hi")')], 'app/cli.py');
    expect(result.ok).toBe(true);
  });

  it('turns a memory hog into MemoryError instead of exhausting the host', async () => {
    const result = await verify([file('main.py', 'data = bytearray(2 * 1024 * 1024 * 1024)')]);
    expect(result.error).toMatchObject({ type: 'MemoryError', file: 'main.py', line: 1 });
  });

  it('falls back to the last stderr line when the output has no known format', async () => {
    const result = await verify([
      file('main.py', 'import sys', 'sys.stderr.write("first\\nsomething odd happened\\n")', 'sys.exit(3)'),
    ]);
    expect(result.steps.at(-1)?.exitCode).toBe(3);
    expect(result.error).toEqual({ type: 'RuntimeError', message: 'something odd happened' });
  });
});
