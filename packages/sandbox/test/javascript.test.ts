import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { file, makeSandbox, VERIFY_TIMEOUT_MS } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await makeSandbox();
});

const verify = (files: { path: string; content: string }[], entry?: string) =>
  sandbox.verify({
    language: 'javascript',
    files,
    timeoutMs: VERIFY_TIMEOUT_MS,
    ...(entry ? { entry } : {}),
  });

describe('javascript verification', () => {
  it('accepts a working CommonJS project without tests (main.js entry)', async () => {
    const result = await verify([
      file('main.js', "const { sum } = require('./lib/sum.js');", 'console.log(sum([1, 2, 3]));'),
      file('lib/sum.js', 'exports.sum = (xs) => xs.reduce((a, b) => a + b, 0);'),
    ]);
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile', 'run']);
    expect(result.steps[1]?.stdout).toBe('6\n');
  });

  it('runs node --test on test files and accepts a passing project', async () => {
    const result = await verify([
      file('index.js', "const { add } = require('./add.js');", 'console.log(add(2, 3));'),
      file('add.js', 'exports.add = (a, b) => a + b;'),
      file(
        'add.test.js',
        "const test = require('node:test');",
        "const assert = require('node:assert');",
        "const { add } = require('./add.js');",
        "test('adds', () => assert.strictEqual(add(2, 2), 4));",
      ),
    ]);
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile', 'test', 'run']);
    expect(result.steps[1]?.stdout).toMatch(/# pass 1/);
  });

  it('extracts a TypeError at the first project frame of the stack', async () => {
    const result = await verify([
      file('index.js', "const { first } = require('./src/list.js');", 'console.log(first(undefined));'),
      file('src/list.js', 'function first(xs) {', '  return xs[0];', '}', 'module.exports = { first };'),
    ]);
    expect(result.steps.at(-1)?.phase).toBe('run');
    expect(result.error).toMatchObject({
      type: 'TypeError',
      message: "Cannot read properties of undefined (reading '0')",
      file: 'src/list.js',
      line: 2,
      block: { file: 'src/list.js', startLine: 1, endLine: 4 },
    });
  });

  it('extracts a ReferenceError from an ES module', async () => {
    const result = await verify(
      [file('main.mjs', 'const a = 1;', 'console.log(notDefined + a);')],
      'main.mjs',
    );
    expect(result.error).toMatchObject({
      type: 'ReferenceError',
      message: 'notDefined is not defined',
      file: 'main.mjs',
      line: 2,
    });
  });

  it('reports a SyntaxError from node --check before running', async () => {
    const result = await verify([
      file('index.js', "console.log('ok');"),
      file('util.js', 'const x = 1;', 'function (a {', '}'),
    ]);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile']);
    expect(result.error).toMatchObject({ type: 'SyntaxError', file: 'util.js', line: 2 });
  });

  it('extracts a failing node:test assertion', async () => {
    const result = await verify([
      file('index.js', "console.log('ok');"),
      file(
        'test/math.test.js',
        "const test = require('node:test');",
        "const assert = require('node:assert');",
        '',
        "test('adds', () => {",
        '  assert.strictEqual(1 + 1, 3);',
        '});',
      ),
    ]);
    expect(result.steps.at(-1)?.phase).toBe('test');
    expect(result.error).toMatchObject({
      type: 'AssertionError',
      message: 'Expected values to be strictly equal:',
      file: 'index.js',
      test: { name: 'adds', file: 'test/math.test.js', line: 5 },
    });
  });

  it('fails with MissingEntryPoint when there is neither index.js nor main.js', async () => {
    const result = await verify([file('app.js', 'console.log(1);')]);
    expect(result).toMatchObject({ ok: false, error: { type: 'MissingEntryPoint' } });
    expect(result.error?.message).toMatch(/index\.js or main\.js/);
  });

  it('reports a heap exhaustion as MemoryLimit', async () => {
    const result = await verify([
      file('index.js', 'const hoard = [];', 'while (true) hoard.push(new Array(1e5).fill(1));'),
    ]);
    expect(result.steps.at(-1)?.timedOut).toBe(false);
    expect(result.error).toMatchObject({ type: 'MemoryLimit' });
    // The heap limit, or (under load, when the address space runs out first) a failed reservation.
    expect(result.error?.message).toMatch(/out of memory|OOM/);
  });
});
