import type { Language } from '@hardfix/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { countTests } from '../src/verify/test-counts.js';
import { VERDICT_TAMPERED, verdictTampered } from '../src/verify/test-verdict.js';
import { file, silentLogger, VERIFY_TIMEOUT_MS } from './helpers.js';

/**
 * Tests run in the program's own process, so the code under test can try to make them pass. Each
 * program here has a wrong `add` that its test catches, and tampers with the test runner so the test
 * would be counted as passed: each must be a failed verification.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  // Every verification here fails on purpose: with a fresh self-test that stays fresh, none of them
  // re-runs it (which would double a JVM test's time on a loaded box).
  sandbox = await createSandbox({ logger: silentLogger, selfTestMaxAgeMs: 10 * 60_000 });
  await sandbox.selfTest();
});

const verify = (language: Language, files: { path: string; content: string }[]) =>
  sandbox.verify({ language, files, timeoutMs: VERIFY_TIMEOUT_MS * 2 });

describe('a program cannot make its own tests pass', () => {
  it('python: replacing unittest.TestResult.addFailure is VerdictTampered, and the failure is still counted', async () => {
    const result = await verify('python', [
      file(
        'main.py',
        'import unittest',
        'unittest.TestResult.addFailure = lambda *a: None',
        '',
        'def add(a, b):',
        '    return a - b',
        '',
        "if __name__ == '__main__':",
        '    print(add(1, 2))',
      ),
      file(
        'test_main.py',
        'import unittest',
        'from main import add',
        '',
        'class AddTest(unittest.TestCase):',
        '    def test_add(self):',
        '        self.assertEqual(add(1, 2), 3)',
        '',
        '    def test_zero(self):',
        '        self.assertEqual(add(2, 0), 2)',
      ),
    ]);
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({
      type: VERDICT_TAMPERED,
      message: expect.stringContaining('unittest.result.TestResult.addFailure'),
    });
    // The verifier's own count, not unittest's (which said 2 passed).
    expect(result.tests).toEqual({ run: 2, passed: 1, failed: 1 });
  });

  it('python: replacing an assertion method of TestCase is VerdictTampered', async () => {
    const result = await verify('python', [
      file(
        'main.py',
        'import unittest',
        'unittest.TestCase.assertEqual = lambda self, a, b, msg=None: None',
        'def add(a, b):',
        '    return a - b',
      ),
      file(
        'test_main.py',
        'import unittest',
        'from main import add',
        '',
        'class AddTest(unittest.TestCase):',
        '    def test_add(self):',
        '        self.assertEqual(add(1, 2), 3)',
      ),
    ]);
    expect(result.error).toMatchObject({
      type: VERDICT_TAMPERED,
      message: expect.stringContaining('unittest.case.TestCase.assertEqual'),
    });
  });

  it('python: a test module rewritten on disk by code another test module loaded still runs as written', async () => {
    const result = await verify('python', [
      file(
        'main.py',
        'with open("test_b.py", "w") as f:',
        '    f.write("def test_add():\\n    pass\\n")',
        'def add(a, b):',
        '    return a - b',
      ),
      file('test_a.py', 'import main', '', 'def test_loads():', '    assert main is not None'),
      file('test_b.py', 'from main import add', '', 'def test_add():', '    assert add(1, 2) == 3'),
    ]);
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('AssertionError');
    expect(result.tests).toEqual({ run: 2, passed: 1, failed: 1 });
  });

  it('python: an import hook the project installs is VerdictTampered', async () => {
    const result = await verify('python', [
      file(
        'main.py',
        'import importlib.abc, sys',
        'class Quiet(importlib.abc.MetaPathFinder):',
        '    def find_spec(self, name, path, target=None):',
        '        return None',
        'sys.meta_path.insert(0, Quiet())',
        'def add(a, b):',
        '    return a + b',
      ),
      file('test_main.py', 'from main import add', '', 'def test_add():', '    assert add(1, 2) == 3'),
    ]);
    expect(result.error).toMatchObject({
      type: VERDICT_TAMPERED,
      message: expect.stringContaining('sys.meta_path'),
    });
  });

  it('python: an atexit hook that turns the failing status into 0 is not obeyed', async () => {
    const result = await verify('python', [
      file(
        'main.py',
        'import atexit, os',
        'atexit.register(lambda: os._exit(0))',
        'def add(a, b):',
        '    return a - b',
      ),
      file('test_main.py', 'from main import add', '', 'def test_add():', '    assert add(1, 2) == 3'),
    ]);
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('AssertionError');
    expect(result.tests).toEqual({ run: 1, passed: 0, failed: 1 });
  });

  it("javascript: replacing node:assert's functions changes nothing: the test still fails", async () => {
    const result = await verify('javascript', [
      file(
        'index.js',
        "const assert = require('node:assert');",
        "for (const k of Object.keys(assert)) if (typeof assert[k] === 'function') assert[k] = () => {};",
        "for (const k of Object.keys(assert.strict)) if (typeof assert.strict[k] === 'function') assert.strict[k] = () => {};",
        'function add(a, b) {',
        '  return a - b;',
        '}',
        'module.exports = { add };',
      ),
      file(
        'index.test.js',
        "const test = require('node:test');",
        "const assert = require('node:assert');",
        "const { add } = require('./index.js');",
        '',
        "test('adds', () => {",
        '  assert.strictEqual(add(1, 2), 3);',
        '});',
      ),
    ]);
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ type: 'AssertionError', file: 'index.js', line: 4 });
    expect(result.tests).toEqual({ run: 1, passed: 0, failed: 1 });
  });

  it('javascript: handing the test a fake assert through the module loader changes nothing either', async () => {
    const result = await verify('javascript', [
      file(
        'index.js',
        "const Module = require('node:module');",
        'const fake = { strictEqual() {}, equal() {}, ok() {}, deepStrictEqual() {} };',
        "require.cache.assert = { id: 'assert', filename: 'assert', loaded: true, exports: fake };",
        'const load = Module._load;',
        'Module._load = function (request, ...rest) {',
        '  return /^(node:)?assert/.test(request) ? fake : load.call(this, request, ...rest);',
        '};',
        'const compile = Module.prototype._compile;',
        'Module.prototype._compile = function (source, filename) {',
        "  return compile.call(this, source.replaceAll('assert.strictEqual(', '(() => {})('), filename);",
        '};',
        'function add(a, b) {',
        '  return a - b;',
        '}',
        'module.exports = { add };',
      ),
      file(
        'index.test.js',
        "const { add } = require('./index.js');",
        "const test = require('node:test');",
        "const assert = require('assert');",
        '',
        "test('adds', () => {",
        '  assert.strictEqual(add(1, 2), 3);',
        '});',
      ),
    ]);
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ type: 'AssertionError', file: 'index.js', line: 12 });
    expect(result.tests).toEqual({ run: 1, passed: 0, failed: 1 });
  });

  it('java: a shutdown hook calling Runtime.halt(0) after the test exits 1 is VerdictTampered', async () => {
    const result = await verify('java', [
      file(
        'Main.java',
        'public class Main {',
        '  static { Runtime.getRuntime().addShutdownHook(new Thread(() -> Runtime.getRuntime().halt(0))); }',
        '  static int add(int a, int b) { return a - b; }',
        '  public static void main(String[] args) { System.out.println(add(1, 2)); }',
        '}',
      ),
      file(
        'MainTest.java',
        'public class MainTest {',
        '  public static void main(String[] args) {',
        '    if (Main.add(1, 2) != 3) {',
        '      System.out.println("add(1, 2) should be 3");',
        '      System.exit(1);',
        '    }',
        '  }',
        '}',
      ),
    ]);
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({
      type: VERDICT_TAMPERED,
      message: expect.stringContaining('exit status 1 changed to 0'),
    });
    expect(result.tests).toEqual({ run: 1, passed: 0, failed: 1 });
  });

  it('java: a test written with `assert` is checked (the JVM runs with -ea)', async () => {
    const result = await verify('java', [
      file(
        'Main.java',
        'public class Main {',
        '  static int add(int a, int b) { return a - b; }',
        '  public static void main(String[] args) { System.out.println(add(1, 2)); }',
        '}',
      ),
      file(
        'MainTest.java',
        'public class MainTest {',
        '  public static void main(String[] args) {',
        '    assert Main.add(1, 2) == 3 : "add(1, 2) should be 3";',
        '  }',
        '}',
      ),
    ]);
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({
      type: 'AssertionError',
      message: 'add(1, 2) should be 3',
      file: 'Main.java',
      test: { name: 'MainTest', file: 'MainTest.java', line: 3 },
    });
    expect(result.tests).toEqual({ run: 1, passed: 0, failed: 1 });
  });

  it('java: a passing test that ends with System.exit(0), and one (in a class that is not public) that returns, both pass', async () => {
    const result = await verify('java', [
      file(
        'Main.java',
        'public class Main {',
        '  static int add(int a, int b) { return a + b; }',
        '  public static void main(String[] args) { System.out.println(add(1, 2)); }',
        '}',
      ),
      file(
        'AddTest.java',
        'public class AddTest {',
        '  public static void main(String[] args) {',
        '    assert Main.add(1, 2) == 3;',
        '    System.exit(Main.add(2, 2) == 4 ? 0 : 1);',
        '  }',
        '}',
      ),
      file(
        'OtherTest.java',
        // Not public: the java launcher runs it, so the runner must too.
        'class OtherTest {',
        '  public static void main(String[] args) { assert Main.add(0, 0) == 0; }',
        '}',
      ),
    ]);
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.tests).toEqual({ run: 2, passed: 2, failed: 0 });
  });
});

describe("the verifier's count against the runner's", () => {
  const step = (stdout: string, stderr: string, exitCode: number) => ({ stdout, stderr, exitCode });

  it('python: counts that differ, a count given twice, or a summary without the count', () => {
    const own = (failures: number) =>
      `[hardfix-test] python run=2 failures=${failures} errors=0 skipped=0 expected=0 unexpected=0`;
    expect(verdictTampered('python', step('', `Ran 2 tests in 0.1s\n\nOK\n${own(0)}\n`, 0))).toBeUndefined();
    expect(verdictTampered('python', step('', `Ran 2 tests in 0.1s\n\nOK\n${own(1)}\n`, 1))).toMatchObject({
      type: VERDICT_TAMPERED,
      message: 'unittest counted failures=0 where the verifier counted failures=1',
    });
    expect(
      verdictTampered('python', step(`${own(0)}\n`, `Ran 2 tests in 0.1s\n\nOK\n${own(0)}\n`, 0))?.message,
    ).toMatch(/more than once/);
    expect(verdictTampered('python', step('', 'Ran 2 tests in 0.1s\n\nOK\n', 0))?.message).toMatch(
      /ended after unittest's summary/,
    );
    // "expected failures=1" is not "failures=1".
    const xfail = '[hardfix-test] python run=5 failures=0 errors=0 skipped=2 expected=1 unexpected=0';
    expect(
      verdictTampered(
        'python',
        step('', `Ran 5 tests in 0.1s\n\nOK (skipped=2, expected failures=1)\n${xfail}\n`, 0),
      ),
    ).toBeUndefined();
    expect(countTests('python', '', 'Ran 5 tests in 0.1s\n\nOK (skipped=2, expected failures=1)\n')).toEqual({
      run: 5,
      failed: 0,
      passed: 3,
    });
    // No summary and no count with status 0 is NoTestsRan's case, not this one.
    expect(verdictTampered('python', step('', '', 0))).toBeUndefined();
  });

  it('javascript: status 0 with failures, or "not ok" with no failure counted', () => {
    const summary = (fail: number) => `# tests 1\n# pass ${1 - fail}\n# fail ${fail}\n# cancelled 0\n`;
    expect(verdictTampered('javascript', step(`ok 1 - adds\n${summary(0)}`, '', 0))).toBeUndefined();
    expect(verdictTampered('javascript', step(`not ok 1 - adds\n${summary(1)}`, '', 0))?.type).toBe(
      VERDICT_TAMPERED,
    );
    expect(verdictTampered('javascript', step(`not ok 1 - adds\n${summary(0)}`, '', 1))?.message).toMatch(
      /counted no failure/,
    );
    expect(
      verdictTampered('javascript', step(`ok 1 - adds\n${summary(0)}ok 1 - adds\n${summary(0)}`, '', 0))
        ?.message,
    ).toMatch(/2 times/);
  });

  it('java: per-class lines that do not add up to the summary, and an unguarded pass without return', () => {
    const ok = '[hardfix-test] passed AddTest\n[hardfix-test] run=1 failed=0\n';
    expect(verdictTampered('java', step(ok, '', 0))).toBeUndefined();
    expect(verdictTampered('java', step(`[hardfix-test] passed FakeTest\n${ok}`, '', 0))?.type).toBe(
      VERDICT_TAMPERED,
    );
    expect(verdictTampered('java', step(`[hardfix-test] unguarded AddTest\n${ok}`, '', 0))?.message).toMatch(
      /without returning from main/,
    );
    expect(
      verdictTampered(
        'java',
        step(`[hardfix-test] unguarded AddTest\n[hardfix-test] returned AddTest\n${ok}`, '', 0),
      ),
    ).toBeUndefined();
  });
});
