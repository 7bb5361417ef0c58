import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adapterOf, canonicalLanguage, TOOLS, toolsOf } from '../registry.js';
import { parseTypescriptError } from './extract.js';
import { compiledPath, OUT_DIR } from './files.js';
import { HOST_PATHS, NODE_TYPE_ROOT, TSC_PATH } from './toolchain.js';

const ts = adapterOf('typescript');
const ctx = (paths: string[]) => ({
  files: paths.map((path) => ({ path, content: '' })),
  roots: ['/sandbox'],
});

describe('the typescript adapter', () => {
  it('is registered under its name and the `ts` alias, and needs node and tsc', () => {
    expect(canonicalLanguage('ts')).toBe('typescript');
    expect(canonicalLanguage(' TypeScript ')).toBe('typescript');
    expect(toolsOf('typescript')).toEqual(['node', 'tsc']);
    expect(TOOLS.tsc).toBe(TSC_PATH);
  });

  it('finds the compiler and the Node declarations it ships with, and binds where they live', () => {
    expect(existsSync(TSC_PATH)).toBe(true);
    expect(existsSync(`${NODE_TYPE_ROOT}/node/index.d.ts`)).toBe(true);
    expect(HOST_PATHS.some((p) => TSC_PATH.startsWith(`${p}/`))).toBe(true);
    expect(HOST_PATHS.some((p) => NODE_TYPE_ROOT.startsWith(`${p}/`))).toBe(true);
    expect(HOST_PATHS.some((p) => p.endsWith('/undici-types'))).toBe(true);
  });

  it('tests are *.test.ts, sources .ts/.mts/.cts, output paths keep the layout', () => {
    expect(ts.files.test.test('src/sum.test.ts')).toBe(true);
    expect(ts.files.test.test('sum.test.js')).toBe(false);
    expect(ts.files.source.test('lib/a.mts')).toBe(true);
    expect(compiledPath('src/a.ts')).toBe(`${OUT_DIR}/src/a.js`);
    expect(compiledPath('b.mts')).toBe(`${OUT_DIR}/b.mjs`);
  });

  it('plans the type-check, the tests from the output, then the entry, source-mapped', () => {
    const plan = ts.verify.plan({
      files: ['main.ts', 'util.ts', 'util.test.ts', 'notes.md'].map((path) => ({ path, content: '' })),
      entry: undefined,
      interpreters: { node: '/usr/bin/node', tsc: '/opt/ts/bin/tsc' },
      limits: { memoryBytes: 512 * 1024 * 1024 },
    });
    if (plan.kind !== 'steps') throw new Error(plan.message);
    const [compile, test, run] = plan.steps;
    expect(compile?.command.slice(3, 6)).toEqual([
      '/usr/bin/node',
      '--max-old-space-size=256',
      '/opt/ts/bin/tsc',
    ]);
    expect(compile?.command).toEqual(expect.arrayContaining(['--strict', '--noEmitOnError', '--sourceMap']));
    expect(compile?.command.slice(-3)).toEqual(['main.ts', 'util.ts', 'util.test.ts']);
    expect(test?.command.slice(-1)).toEqual([`${OUT_DIR}/util.test.js`]);
    expect(test?.env?.NODE_OPTIONS).toContain('--enable-source-maps');
    expect(run?.command).toEqual([
      '/usr/bin/node',
      '--max-old-space-size=256',
      '--enable-source-maps',
      `${OUT_DIR}/main.js`,
    ]);
  });

  it('names the missing entry, and refuses a non-TypeScript one', () => {
    const plan = (paths: string[], entry?: string) =>
      ts.verify.plan({
        files: paths.map((path) => ({ path, content: '' })),
        entry,
        interpreters: { node: 'n', tsc: 't' },
        limits: { memoryBytes: 1 << 28 },
      });
    expect(plan(['lib.ts'])).toEqual({
      kind: 'missing-entry',
      message: 'entry point main.ts or index.ts not found',
    });
    expect(plan(['run.js'], 'run.js')).toMatchObject({ kind: 'missing-entry', file: 'run.js' });
  });
});

describe('typescript error extraction', () => {
  it("reads tsc's first error: the code, message, project file and line", () => {
    const output = [
      "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      "main.ts(1,1): error TS2304: Cannot find name 'x'.",
    ].join('\n');
    expect(parseTypescriptError(output, ctx(['src/a.ts', 'main.ts']))).toEqual({
      type: 'TS2322',
      message: "Type 'string' is not assignable to type 'number'",
      file: 'src/a.ts',
      line: 3,
    });
  });

  it('counts a "Did you mean" form as the plain one: the suggestion is the program\'s, not the mistake', () => {
    const out =
      "main.ts(2,15): error TS2551: Property 'lenght' does not exist on type 'string'. Did you mean 'length'?";
    expect(parseTypescriptError(out, ctx(['main.ts']))).toMatchObject({ type: 'TS2339', line: 2 });
    const name = "main.ts(4,3): error TS2552: Cannot find name 'creatHash'. Did you mean 'createHash'?";
    expect(parseTypescriptError(name, ctx(['main.ts']))).toMatchObject({ type: 'TS2304', line: 4 });
  });

  it('keeps an error outside the project without a location, and a global one by its code', () => {
    const lib = "/opt/lib.d.ts(1,1): error TS1005: ';' expected.";
    expect(parseTypescriptError(lib, ctx(['main.ts']))).toEqual({ type: 'TS1005', message: "';' expected" });
    expect(parseTypescriptError("error TS5023: Unknown compiler option '--x'.", ctx([]))).toEqual({
      type: 'TS5023',
      message: "Unknown compiler option '--x'",
    });
  });

  it("falls back to node's error, whose source-mapped frames name the .ts line", () => {
    const output = [
      '/sandbox/src/list.ts:2',
      '  const head = xs[0];',
      '',
      "TypeError: Cannot read properties of null (reading '0')",
      '    at first (/sandbox/src/list.ts:2:18)',
      '    at <anonymous> (/sandbox/main.ts:2:13)',
    ].join('\n');
    expect(parseTypescriptError(output, ctx(['src/list.ts', 'main.ts']))).toEqual({
      type: 'TypeError',
      message: "Cannot read properties of null (reading '0')",
      file: 'src/list.ts',
      line: 2,
      // Every project frame, innermost first: localisation's callers.
      frames: [
        { file: 'src/list.ts', line: 2 },
        { file: 'main.ts', line: 2 },
      ],
    });
  });

  it('an import line is an ES import (node: specifiers too), and a definition may carry types', () => {
    expect(ts.editPatterns.importLine.test("import { createHash } from 'node:crypto';")).toBe(true);
    expect(ts.editPatterns.importLine.test("import type { Row } from './rows.js';")).toBe(true);
    expect(ts.editPatterns.importLine.test('const x = 1;')).toBe(false);
    const def = ts.errors.definition('total');
    expect(def.test('export function total(xs: number[]): number {')).toBe(true);
    expect(def.test('  total(xs: number[]): number {')).toBe(true);
    expect(def.test('const total: (xs: number[]) => number = (xs) => 0;')).toBe(true);
    expect(def.test('console.log(total([1]));')).toBe(false);
  });
});
