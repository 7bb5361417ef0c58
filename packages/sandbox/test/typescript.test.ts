import { beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/index.js';
import { file, silentLogger } from './helpers.js';

// tsc loads the compiler and Node's declarations (~1.5 s of CPU alone) before anything runs; on a
// loaded 2-core box that is many seconds.
const TS_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 120_000;

let sandbox: Sandbox;
beforeAll(async () => {
  // A failed verification re-runs the self-test only when it is older than this: one tsc run each.
  sandbox = await createSandbox({ logger: silentLogger, selfTestMaxAgeMs: 10 * 60_000 });
}, TEST_TIMEOUT_MS);

const verify = (files: { path: string; content: string }[], entry?: string) =>
  sandbox.verify({ language: 'typescript', files, timeoutMs: TS_TIMEOUT_MS, ...(entry ? { entry } : {}) });

describe('typescript verification', () => {
  it(
    'type-checks, runs the node:test tests from the compiled output, then main.ts',
    async () => {
      const result = await verify([
        file(
          'main.ts',
          "import { readFileSync } from 'node:fs';",
          "import { total } from './lib/total.js';",
          'console.log(total([1, 2, 3]), typeof readFileSync);',
        ),
        file(
          'lib/total.ts',
          'export function total(xs: number[]): number {',
          '  return xs.reduce((a, b) => a + b, 0);',
          '}',
        ),
        file(
          'lib/total.test.ts',
          "import test from 'node:test';",
          "import assert from 'node:assert/strict';",
          "import { total } from './total.js';",
          "test('adds', () => assert.equal(total([2, 2]), 4));",
        ),
      ]);
      expect(result.ok).toBe(true);
      expect(result.steps.map((s) => s.phase)).toEqual(['compile', 'test', 'run']);
      expect(result.steps[0]?.command).toEqual(expect.arrayContaining(['--strict', '--sourceMap']));
      expect(result.tests).toEqual({ run: 1, passed: 1, failed: 0 });
      expect(result.steps[2]?.stdout).toBe('6 function\n');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "fails a type error plain JavaScript would run: real tsc output, the error's code, file and line",
    async () => {
      const shapes = [
        'export function area(r: number): number {',
        "  const scale: number = '1';",
        '  return Math.PI * r * r * scale;',
        '}',
      ];
      const result = await verify([
        file('main.ts', "import { area } from './shapes.js';", 'console.log(area(2));'),
        file('shapes.ts', ...shapes),
      ]);
      expect(result.ok).toBe(false);
      expect(result.steps.map((s) => s.phase)).toEqual(['compile']);
      expect(result.steps[0]?.stdout).toBe(
        "shapes.ts(2,9): error TS2322: Type 'string' is not assignable to type 'number'.\n",
      );
      expect(result.error).toMatchObject({
        type: 'TS2322',
        message: "Type 'string' is not assignable to type 'number'",
        file: 'shapes.ts',
        line: 2,
        block: { file: 'shapes.ts', startLine: 1, endLine: 4, code: shapes.join('\n') },
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'maps a runtime stack trace back to the .ts line through the source map',
    async () => {
      const result = await verify([
        file('main.ts', "import { first } from './src/list.js';", "console.log(first(JSON.parse('null')));"),
        file(
          'src/list.ts',
          '// The compiled line numbers differ: this comment and the types are gone from the .js.',
          'export function first(xs: number[]): number {',
          '  const head: number = xs[0];',
          '  return head;',
          '}',
        ),
      ]);
      expect(result.ok).toBe(false);
      const run = result.steps.at(-1);
      expect(run?.phase).toBe('run');
      expect(run?.stderr).toMatch(/at first \(\/sandbox\/src\/list\.ts:3:\d+\)/);
      expect(result.error).toMatchObject({
        type: 'TypeError',
        message: "Cannot read properties of null (reading '0')",
        file: 'src/list.ts',
        line: 3,
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'points a failing node:test assertion at the typed code under test, the test at its .ts line',
    async () => {
      const result = await verify([
        file('main.ts', "import { add } from './add.js';", 'console.log(add(1, 2));'),
        file('add.ts', 'export function add(a: number, b: number): number {', '  return a - b;', '}'),
        file(
          'add.test.ts',
          "import test from 'node:test';",
          "import assert from 'node:assert/strict';",
          "import { add } from './add.js';",
          '',
          "test('adds', () => {",
          '  assert.equal(add(2, 2), 4);',
          '});',
        ),
      ]);
      expect(result.ok).toBe(false);
      expect(result.steps.map((s) => s.phase)).toEqual(['compile', 'test']);
      expect(result.tests).toEqual({ run: 1, passed: 0, failed: 1 });
      expect(result.error).toMatchObject({
        type: 'AssertionError',
        file: 'add.ts',
        line: 1,
        block: {
          startLine: 1,
          endLine: 3,
          code: 'export function add(a: number, b: number): number {\n  return a - b;\n}',
        },
        test: { name: 'adds', file: 'add.test.ts', line: 6 },
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails a test file that ended the process before its tests ran, by its .ts name',
    async () => {
      const result = await verify([
        file('main.ts', 'export const ready = true;', 'process.exit(0);'),
        file(
          'main.test.ts',
          "import test from 'node:test';",
          "import assert from 'node:assert/strict';",
          "import { ready } from './main.js';",
          "test('ready', () => assert.equal(ready, true));",
        ),
      ]);
      expect(result.ok).toBe(false);
      expect(result.error).toMatchObject({ type: 'NoTestsRan', file: 'main.ts', line: 2 });
      expect(result.error?.message).toMatch(/main\.test\.ts ran no test/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a missing compiler disables typescript alone, named in the health; javascript still verifies',
    async () => {
      const without = await createSandbox({
        logger: silentLogger,
        interpreters: { tsc: '/nonexistent/tsc' },
      });
      const health = await without.selfTest();
      expect(health.state).toBe('ready');
      expect(health.languages.typescript).toMatchObject({ ok: false, installed: false });
      expect(health.languages.javascript).toMatchObject({ ok: true, installed: true });
      const project = {
        language: 'typescript' as const,
        files: [file('main.ts', 'console.log(1);')],
        timeoutMs: 5_000,
      };
      await expect(without.verify(project)).rejects.toThrow(/tsc is not installed at \/nonexistent\/tsc/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "its own self-test passes: the good program verifies, the bad one's type error is found where expected",
    async () => {
      const health = await sandbox.selfTest(['typescript']);
      expect(health.languages.typescript).toMatchObject({ ok: true, installed: true });
    },
    TEST_TIMEOUT_MS,
  );
});
