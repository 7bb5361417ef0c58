import type { Language } from '@hardfix/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { file, makeSandbox, VERIFY_TIMEOUT_MS } from './helpers.js';

/*
 * Issue 24, on real output of real programs run in the sandbox: a long traceback keeps its last line,
 * stack overflows keep their real type in every language, and a failure raised only in a test file
 * points at the definition the test calls, never at the entry file.
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await makeSandbox();
});

const verify = (language: Language, files: { path: string; content: string }[]) =>
  sandbox.verify({ language, files, timeoutMs: VERIFY_TIMEOUT_MS * 2 });

describe('stack overflows keep their type and final line, whatever the length of the output', () => {
  it('python: a mutual recursion whose traceback is longer than the output cap is a RecursionError', async () => {
    const parity = file(
      'parity.py',
      'def is_even(n):',
      '    if n == 0:',
      '        return True',
      '    return is_odd(n - 1)',
      '',
      '',
      'def is_odd(n):',
      '    if n == 1:',
      '        return True',
      '    return is_even(n - 1)',
    );
    const main = file('main.py', 'from parity import is_even', '', 'print(is_even(7))');
    const result = await verify('python', [main, parity]);
    const run = result.steps.find((s) => s.phase === 'run');
    // The premise: the output is longer than what the sandbox keeps of it.
    expect(run?.truncated).toBe(true);
    expect(result.error).toMatchObject({
      type: 'RecursionError',
      message: 'maximum recursion depth exceeded',
      file: 'parity.py',
    });
    // The frames are innermost first and reach out to the entry file's call, from the kept head.
    expect(result.error?.frames?.at(-1)).toEqual({ file: 'main.py', line: 3 });
    expect(run?.stderr.trimEnd().split('\n').at(-1)).toBe('RecursionError: maximum recursion depth exceeded');
  });

  it('python: a RecursionError inside a unittest keeps its type', async () => {
    const fact = file('fact.py', 'def fact(n):', '    return n * fact(n)');
    const test = file(
      'test_fact.py',
      'import unittest',
      'from fact import fact',
      '',
      '',
      'class FactTest(unittest.TestCase):',
      '    def test_fact(self):',
      '        self.assertEqual(fact(3), 6)',
    );
    const result = await verify('python', [file('main.py', 'import fact'), fact, test]);
    expect(result.error).toMatchObject({
      type: 'RecursionError',
      message: 'maximum recursion depth exceeded',
      file: 'fact.py',
      line: 2,
    });
  });

  it('javascript: endless recursion is RangeError: Maximum call stack size exceeded (run and node --test)', async () => {
    const walk = file(
      'walk.js',
      'function depth(n) {',
      '  return depth(n + 1) + 1;',
      '}',
      'module.exports = { depth };',
    );
    const run = await verify('javascript', [
      file('index.js', "const { depth } = require('./walk');", 'depth(0);'),
      walk,
    ]);
    expect(run.error).toMatchObject({
      type: 'RangeError',
      message: 'Maximum call stack size exceeded',
      file: 'walk.js',
      line: 2,
    });
    const test = file(
      'walk.test.js',
      "const test = require('node:test');",
      "const assert = require('node:assert');",
      "const { depth } = require('./walk');",
      "test('depth', () => { assert.strictEqual(depth(0), 1); });",
    );
    const tested = await verify('javascript', [file('index.js', "require('./walk');"), walk, test]);
    expect(tested.error).toMatchObject({ type: 'RangeError', file: 'walk.js', line: 2 });
    expect(tested.error?.message).toMatch(/Maximum call stack size exceeded/);
  });

  it('java: endless recursion is StackOverflowError, though its 1024 frames push the name far above the tail', async () => {
    const main = file(
      'Main.java',
      'public class Main {',
      '  static int depth(int n) {',
      '    return depth(n + 1) + 1;',
      '  }',
      '',
      '  public static void main(String[] args) {',
      '    System.out.println(depth(0));',
      '  }',
      '}',
    );
    const result = await verify('java', [main]);
    expect(result.error).toMatchObject({ type: 'StackOverflowError', file: 'Main.java', line: 3 });
  });
});

describe('a failure raised only in a test file points at the code the test calls', () => {
  // Issue 24's first miss: every traceback frame is in the test (a helper of the test's own asserts),
  // and the entry file only imports the program.
  it('python: check(candidate) passes the function by name; the block is its definition, not main.py', async () => {
    const program = file(
      'program.py',
      'def helper(x):',
      '    return x * 2',
      '',
      '',
      'def find_max(xs):',
      '    best = xs[0]',
      '    for x in xs:',
      '        if x < best:',
      '            best = x',
      '    return best',
    );
    const main = file('main.py', 'from program import find_max', '', '', 'print(find_max([1, 2]))');
    const test = file(
      'test_program.py',
      'from program import find_max',
      '',
      '',
      'def check(candidate):',
      '    assert candidate([1, 3, 2]) == 3',
      '    assert candidate([5]) == 5',
      '',
      '',
      'def test_find_max():',
      '    check(find_max)',
    );
    const result = await verify('python', [main, program, test]);
    expect(result.error?.type).toBe('AssertionError');
    expect(result.error).toMatchObject({
      file: 'program.py',
      line: 5,
      block: { file: 'program.py', startLine: 5, endLine: 10 },
      test: { file: 'test_program.py', line: 5 },
    });
  });
});

describe('a failure raised only in a javascript test file', () => {
  it('check(candidate) in the test: the block is the definition passed to it, not index.js', async () => {
    const program = file(
      'program.js',
      'function findMax(xs) {',
      '  let best = xs[0];',
      '  for (const x of xs) {',
      '    if (x < best) best = x;',
      '  }',
      '  return best;',
      '}',
      '',
      'module.exports = { findMax };',
    );
    const test = file(
      'program.test.js',
      "const test = require('node:test');",
      "const assert = require('node:assert');",
      "const { findMax } = require('./program');",
      '',
      'function check(candidate) {',
      '  assert.strictEqual(candidate([1, 3, 2]), 3);',
      '}',
      '',
      "test('findMax', () => {",
      '  check(findMax);',
      '});',
    );
    const result = await verify('javascript', [file('index.js', "require('./program');"), program, test]);
    expect(result.error?.type).toBe('AssertionError');
    expect(result.error).toMatchObject({
      file: 'program.js',
      block: { file: 'program.js', startLine: 1, endLine: 7 },
    });
  });
});

describe('spectrum-based localisation (python: the tests run again under sys.settrace)', () => {
  it('ranks the lines only the failing test runs first, and leaves out what only passing tests run', async () => {
    const pricing = file(
      'pricing.py',
      'def discount(price, percent):',
      '    return price * percent / 100',
      '',
      '',
      'def tax(price, rate):',
      '    return price * (1 + rate / 100)',
    );
    const test = file(
      'test_pricing.py',
      'import unittest',
      'from pricing import discount, tax',
      '',
      '',
      'class PricingTest(unittest.TestCase):',
      '    def test_discount(self):',
      '        self.assertEqual(discount(100, 10), 90)',
      '',
      '    def test_tax(self):',
      '        self.assertEqual(tax(200, 50), 300)',
    );
    const result = await verify('python', [file('main.py', 'import pricing'), pricing, test]);
    expect(result.error?.type).toBe('AssertionError');
    expect(result.error?.suspicious).toEqual([{ file: 'pricing.py', line: 2, score: 1 }]);
  });
});

describe('spectrum-based localisation (javascript: each test alone under NODE_V8_COVERAGE)', () => {
  it('ranks the lines only the failing test runs first', async () => {
    const pricing = file(
      'pricing.js',
      'function discount(price, percent) {',
      '  return (price * percent) / 100;',
      '}',
      '',
      'function tax(price, rate) {',
      '  return price * (1 + rate / 100);',
      '}',
      '',
      'module.exports = { discount, tax };',
    );
    const test = file(
      'pricing.test.js',
      "const test = require('node:test');",
      "const assert = require('node:assert');",
      "const { discount, tax } = require('./pricing');",
      '',
      "test('discount', () => {",
      '  assert.strictEqual(discount(100, 10), 90);',
      '});',
      '',
      "test('tax', () => {",
      '  assert.strictEqual(tax(200, 50), 300);',
      '});',
    );
    const result = await verify('javascript', [file('index.js', "require('./pricing');"), pricing, test]);
    expect(result.error?.type).toBe('AssertionError');
    // Line 1 (the function's header) counts as run when its body is; the module's own lines run for both.
    expect(result.error?.suspicious?.filter((s) => s.score === 1)).toEqual([
      { file: 'pricing.js', line: 1, score: 1 },
      { file: 'pricing.js', line: 2, score: 1 },
      { file: 'pricing.js', line: 3, score: 1 },
    ]);
    expect(result.error?.suspicious?.some((s) => s.line === 6)).toBe(false);
  });
});

describe('spectrum-based localisation (go: each test alone with its statement coverage)', () => {
  it('ranks the lines only the failing test runs first, in a helper file and through a subpackage', async () => {
    const pricing = file(
      'pricing/pricing.go',
      'package pricing',
      '',
      'func Discount(price, percent int) int {',
      '\treturn price * percent / 100',
      '}',
      '',
      'func Tax(price, rate int) int {',
      '\treturn price + price*rate/100',
      '}',
    );
    const test = file(
      'main_test.go',
      'package main',
      '',
      'import (',
      '\t"testing"',
      '',
      '\t"shop/pricing"',
      ')',
      '',
      'func TestDiscount(t *testing.T) {',
      '\tif got := pricing.Discount(100, 10); got != 90 {',
      '\t\tt.Errorf("Discount(100, 10) = %d, want 90", got)',
      '\t}',
      '}',
      '',
      'func TestTax(t *testing.T) {',
      '\tif got := pricing.Tax(200, 50); got != 300 {',
      '\t\tt.Errorf("Tax(200, 50) = %d, want 300", got)',
      '\t}',
      '}',
    );
    const main = file(
      'main.go',
      'package main',
      '',
      'import (',
      '\t"fmt"',
      '',
      '\t"shop/pricing"',
      ')',
      '',
      'func main() {',
      '\tfmt.Println(pricing.Tax(100, 10))',
      '}',
    );
    const result = await verify('go', [file('go.mod', 'module shop', '', 'go 1.19'), main, pricing, test]);
    expect(result.error?.type).toBe('TestFailure');
    // The Discount block (its header through its closing brace) runs only in the failing test.
    expect(result.error?.suspicious?.filter((s) => s.score === 1)).toEqual([
      { file: 'pricing/pricing.go', line: 3, score: 1 },
      { file: 'pricing/pricing.go', line: 4, score: 1 },
      { file: 'pricing/pricing.go', line: 5, score: 1 },
    ]);
    expect(result.error?.suspicious?.some((s) => s.line === 8)).toBe(false);
  });
});

describe('spectrum-based localisation (typescript: the compiled tests under V8 coverage, mapped back)', () => {
  it('ranks the .ts lines only the failing test runs first', async () => {
    const pricing = file(
      'pricing.ts',
      'export function discount(price: number, percent: number): number {',
      '  const off = (price * percent) / 100;',
      '  return off;',
      '}',
      '',
      'export function tax(price: number, rate: number): number {',
      '  return price * (1 + rate / 100);',
      '}',
    );
    const test = file(
      'pricing.test.ts',
      "import test from 'node:test';",
      "import assert from 'node:assert';",
      "import { discount, tax } from './pricing.js';",
      '',
      "test('discount', () => {",
      '  assert.strictEqual(discount(100, 10), 90);',
      '});',
      '',
      "test('tax', () => {",
      '  assert.strictEqual(tax(200, 50), 300);',
      '});',
    );
    const main = file('main.ts', "import { tax } from './pricing.js';", '', 'console.log(tax(100, 10));');
    const result = await sandbox.verify({
      language: 'typescript',
      files: [main, pricing, test],
      timeoutMs: VERIFY_TIMEOUT_MS * 3,
    });
    expect(result.error?.type).toBe('AssertionError');
    // The .ts lines of discount's body, not the compiled output's: only the failing test runs them.
    expect(result.error?.suspicious?.filter((s) => s.score === 1)).toEqual([
      { file: 'pricing.ts', line: 2, score: 1 },
      { file: 'pricing.ts', line: 3, score: 1 },
      { file: 'pricing.ts', line: 4, score: 1 },
    ]);
    expect(result.error?.suspicious?.some((s) => s.line === 7)).toBe(false);
  });
});
