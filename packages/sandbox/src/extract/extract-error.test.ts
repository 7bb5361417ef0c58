import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundOutput,
  extractError,
  MAX_LINE_CHARS,
  MAX_MESSAGE_CHARS,
  MAX_PARSED_CHARS,
} from './extract-error.js';

const LANGUAGES = ['python', 'javascript', 'java', 'typescript', 'go'] as const;
const files = [
  { path: 'main.py', content: 'print(1)\n' },
  { path: 'index.js', content: 'console.log(1)\n' },
  { path: 'Main.java', content: 'class Main {}\n' },
  { path: 'main.go', content: 'package main\n' },
  { path: 'main.ts', content: 'const n: number = 1;\n' },
];

/** Pieces of real error formats, to make random outputs that get deep into the parsers. */
const FRAGMENTS = [
  'Traceback (most recent call last):\n',
  '  File "/sandbox/main.py", line 1, in <module>\n',
  "NameError: name 'x' is not defined\n",
  'Sorry: IndentationError: expected an indented block (main.py, line 2)\n',
  '/sandbox/index.js:1\n',
  '    at f (/sandbox/index.js:1:1)\n',
  '    at file:///sandbox/%ZZ:1:1\n',
  'not ok 1 - test\n  ---\n  error: |-\n    boom\n  stack: |-\n    at x (/sandbox/index.js:2:3)\n  ...\n',
  'TypeError: x is not a function\n',
  'Main.java:3: error: cannot find symbol\n  symbol:   variable y\n',
  'Exception in thread "main" java.lang.IllegalStateException: no\n',
  'Caused by: java.lang.NullPointerException\n\tat Main.main(Main.java:99999999999999999999)\n',
  "main.ts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.\n",
  'main.ts(99999999999999999999,1): error TS1005: x\n',
  'error TS5023: Unknown compiler option.\n',
  '    at first (/sandbox/main.ts:1:18)\n',
  'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n',
  './main.go:3:2: undefined: strings\n',
  'panic: runtime error: index out of range [5] with length 3\n\ngoroutine 1 [running]:\n',
  'main.f(...)\n\t/sandbox/main.go:99999999999999999999 +0x1d\n',
  'fatal error: out of memory\nruntime.newstack()\n',
  '{"Action":"output","Package":"p","Test":"TestX","Output":"    main_test.go:7: boom\\n"}\n',
  '{"Action":"output","Test":"TestX","Output":"--- FAIL: TestX (0.00s)\\n"}\n{"Action":\n',
];

const check = (language: (typeof LANGUAGES)[number], output: string) => {
  const e = extractError(language, output, files);
  expect(e.type.length).toBeGreaterThan(0);
  expect(e.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  if (e.line !== undefined) expect(Number.isSafeInteger(e.line)).toBe(true);
  if (e.file !== undefined) expect(files.map((f) => f.path)).toContain(e.file);
};

describe('extractError is total', () => {
  it('never throws on random output, and keeps its message short', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LANGUAGES),
        fc.string({ unit: 'binary', maxLength: 2_000 }),
        (language, output) => check(language, output),
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on random mixes of real error formats', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LANGUAGES),
        fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 40 })), { maxLength: 30 }),
        (language, parts) => check(language, parts.join('')),
      ),
      { numRuns: 1_000 },
    );
  });

  it('hostile outputs: a malformed file URL, a 64 KiB message, 1 MiB lines that feed backtracking regexes', () => {
    const hostile = [
      'Error: boom\n    at f (file:///sandbox/%ZZ.js:1:1)\n',
      `ValueError: ${'x'.repeat(64 * 1024)}\n`,
      `${'a'.repeat(1024 * 1024)}.js:1\n`,
      `${'a/'.repeat(512 * 1024)}:1:1)\n`,
      `  File "${'/'.repeat(1024 * 1024)}", line 1\n`,
      `${'Traceback (most recent call last):\n'.repeat(20_000)}`,
      `Exception in thread "main" ${'a.'.repeat(400_000)}\n`,
    ];
    for (const language of LANGUAGES) for (const output of hostile) check(language, output);
    // Why these stay cheap, without timing them (which a loaded machine makes flaky): the parsers are
    // only ever given a bounded tail (and head) of short lines, whatever the output.
    for (const output of hostile) {
      const { tail, headAndTail } = boundOutput(output);
      for (const given of [tail, headAndTail ?? '']) {
        expect(given.length).toBeLessThanOrEqual(2 * MAX_PARSED_CHARS);
        expect(Math.max(...given.split('\n').map((l) => l.length))).toBeLessThanOrEqual(MAX_LINE_CHARS);
      }
      expect(tail.length).toBeLessThanOrEqual(MAX_PARSED_CHARS);
    }
    const traceback = 'Traceback (most recent call last):\n  File "/sandbox/main.py", line 1, in <module>\n';
    const long = extractError('python', `${traceback}ValueError: ${'x'.repeat(64 * 1024)}\n`, files);
    expect(long).toMatchObject({ type: 'ValueError', file: 'main.py', line: 1 });
    expect(long.message.length).toBe(MAX_MESSAGE_CHARS);
  });

  it("a javac failure with no file:line is named by its first error line, never by the 'N errors' summary", () => {
    const out = 'error: file not found: Mian.java\nUsage: javac <options> <source files>\n1 error\n';
    expect(extractError('java', out, files, { fallbackType: 'CompileError' })).toEqual({
      type: 'CompileError',
      message: 'error: file not found: Mian.java',
    });
  });

  it('V8 running out of memory is MemoryLimit, at the heap limit or at a failed reservation', () => {
    const heap =
      '<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n';
    const reserve = '\n#\n# Fatal process out of memory: Failed to reserve virtual memory for CodeRange\n#\n';
    expect(extractError('javascript', heap, files)).toMatchObject({ type: 'MemoryLimit' });
    expect(extractError('javascript', reserve, files)).toEqual({
      type: 'MemoryLimit',
      message: 'Fatal process out of memory: Failed to reserve virtual memory for CodeRange',
    });
    // The runtime's C++ allocation failing before V8 notices (node aborts with SIGABRT).
    const badAlloc =
      "terminate called after throwing an instance of 'std::bad_alloc'\n  what():  std::bad_alloc\nAborted\n";
    expect(extractError('javascript', badAlloc, files)).toEqual({
      type: 'MemoryLimit',
      message: 'out of memory: the runtime could not allocate (std::bad_alloc)',
    });
  });
});
