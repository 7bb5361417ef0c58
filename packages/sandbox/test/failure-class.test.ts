import { type FailureClass, failureClass, type Language } from '@hardfix/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox, VerifyResult } from '../src/index.js';
import { file, makeSandbox, VERIFY_TIMEOUT_MS } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await makeSandbox();
});

/** The phase the worker stores with a failure (services/worker/src/attempt.ts, toFailure). */
function failedPhase(result: VerifyResult) {
  return result.steps.find((s) => s.exitCode !== 0 || s.timedOut || s.outputLimitExceeded)?.phase;
}

async function classOf(
  language: Language,
  files: { path: string; content: string }[],
  timeoutMs = VERIFY_TIMEOUT_MS * 2,
): Promise<{ kind: FailureClass; type: string | undefined }> {
  const result = await sandbox.verify({ language, files, timeoutMs });
  expect(result.ok).toBe(false);
  const type = result.error?.type ?? 'VerificationFailed';
  const phase = failedPhase(result);
  return { kind: failureClass({ type, ...(phase ? { phase } : {}) }), type };
}

const PY_TEST = file(
  'test_calc.py',
  'import unittest',
  'from calc import add',
  '',
  '',
  'class CalcTest(unittest.TestCase):',
  '    def test_add(self):',
  '        self.assertEqual(add(1, 2), 3)',
);
const JS_TEST = file(
  'calc.test.js',
  "const test = require('node:test');",
  "const assert = require('node:assert');",
  "const { add } = require('./calc');",
  "test('adds', () => { assert.strictEqual(add(1, 2), 3); });",
);

/**
 * The kinds of failure the hard-fix prompt tells apart, from what real runs in the sandbox report: the
 * error types its extractors produce and the step that failed.
 */
describe('failure classes of real sandboxed runs', () => {
  it.each([
    ['python', 'a missing bracket', 'syntax', [file('main.py', 'print((1 + 2)')]],
    ['python', 'a NameError while running', 'runtime', [file('main.py', 'print(PI * 2)')]],
    [
      'python',
      'a failing assertEqual',
      'assertion',
      [file('calc.py', 'def add(a, b):', '    return a - b'), file('main.py', 'print(1)'), PY_TEST],
    ],
    [
      'python',
      'an exit at import (the tests never run)',
      'no-tests',
      [
        file('calc.py', 'import sys', 'def add(a, b):', '    return a + b', 'sys.exit(0)'),
        file('main.py', 'print(1)'),
        PY_TEST,
      ],
    ],
    ['javascript', 'a syntax error (node --check)', 'syntax', [file('index.js', 'console.log((1 + 2);')]],
    [
      'javascript',
      "JSON.parse's SyntaxError while running",
      'runtime',
      [file('index.js', "console.log(JSON.parse('{bad'));")],
    ],
    [
      'javascript',
      'a failing node:assert test',
      'assertion',
      [
        file('calc.js', 'exports.add = (a, b) => a - b;'),
        file('index.js', "console.log(require('./calc').add(1, 2));"),
        JS_TEST,
      ],
    ],
  ] as const)('%s: %s is %s', async (language, _what, expected, files) => {
    const { kind, type } = await classOf(language, [...files]);
    expect({ kind, type }).toMatchObject({ kind: expected });
  });

  it('java: a javac error is syntax; a test class throwing AssertionError is assertion', async () => {
    const broken = await classOf('java', [
      file('Main.java', 'public class Main {', '  public static void main(String[] a) { int x = }', '}'),
    ]);
    expect(broken).toEqual({ kind: 'syntax', type: 'CompileError' });
    const failing = await classOf('java', [
      file('Calc.java', 'public class Calc {', '  static int add(int a, int b) { return a - b; }', '}'),
      file('Main.java', 'public class Main {', '  public static void main(String[] a) { }', '}'),
      file(
        'CalcTest.java',
        'public class CalcTest {',
        '  public static void main(String[] a) {',
        '    if (Calc.add(1, 2) != 3) throw new AssertionError("add(1, 2) != 3");',
        '  }',
        '}',
      ),
    ]);
    expect(failing).toEqual({ kind: 'assertion', type: 'AssertionError' });
  });

  it('python: a loop that never ends is a limit', async () => {
    const { kind, type } = await classOf('python', [file('main.py', 'while True:', '    pass')], 1_500);
    expect({ kind, type }).toEqual({ kind: 'limit', type: 'Timeout' });
  });
});
