import { describe, expect, it } from 'vitest';
import { parseGoError } from './extract.js';
import { completeFiles } from './files.js';
import { addGoImports } from './imports.js';
import { go } from './index.js';
import { canonicalMessage } from './messages.js';
import { countTests, verdictMismatch } from './tests.js';

const event = (e: Record<string, unknown>) => JSON.stringify({ Time: '2026-12-06T23:05:10Z', ...e });
const declared = (...names: string[]) => `[hardfix-test] go declared ${names.join(' ')}`;
/** What `go test -json` printed for one passing and one failing test (captured from go 1.19). */
const REPORT = [
  event({ Action: 'run', Package: 'calc', Test: 'TestAdd' }),
  event({ Action: 'output', Package: 'calc', Test: 'TestAdd', Output: '=== RUN   TestAdd\n' }),
  event({
    Action: 'output',
    Package: 'calc',
    Test: 'TestAdd',
    Output: '    calc_test.go:7: Add(1, 2) = 4, want 3\n',
  }),
  event({ Action: 'output', Package: 'calc', Test: 'TestAdd', Output: '--- FAIL: TestAdd (0.00s)\n' }),
  event({ Action: 'fail', Package: 'calc', Test: 'TestAdd', Elapsed: 0 }),
  event({ Action: 'run', Package: 'calc', Test: 'TestSub' }),
  event({ Action: 'output', Package: 'calc', Test: 'TestSub', Output: '--- PASS: TestSub (0.00s)\n' }),
  event({ Action: 'pass', Package: 'calc', Test: 'TestSub', Elapsed: 0 }),
  event({ Action: 'output', Package: 'calc', Output: 'FAIL\tcalc\t0.002s\n' }),
  event({ Action: 'fail', Package: 'calc', Elapsed: 0.002 }),
];

describe('go messages', () => {
  it('writes the wording of go 1.19 and go 1.20+ one way, so one mistake has one signature', () => {
    expect(canonicalMessage('imported and not used: "os"')).toBe('"os" imported and not used');
    expect(canonicalMessage('"os" imported and not used')).toBe('"os" imported and not used');
    expect(canonicalMessage('"os" imported but not used')).toBe('"os" imported and not used');
    expect(canonicalMessage('x declared but not used')).toBe('declared and not used: x');
    expect(canonicalMessage('declared and not used: x')).toBe('declared and not used: x');
    expect(canonicalMessage('undeclared name: strings')).toBe('undefined: strings');
    expect(
      canonicalMessage(
        'sb.WriteStrings undefined (type strings.Builder has no field or method WriteStrings, but does have WriteString)',
      ),
    ).toBe('<expr>.WriteStrings undefined (type strings.Builder has no field or method WriteStrings)');
    expect(
      canonicalMessage(
        'f.buf.WriteStrings undefined (type strings.Builder has no field or method WriteStrings)',
      ),
    ).toBe('<expr>.WriteStrings undefined (type strings.Builder has no field or method WriteStrings)');
  });
});

describe('go imports', () => {
  it('puts a learnt import into the import block', () => {
    const file = 'package main\n\nimport (\n\t"fmt"\n)\n\nfunc main() {}\n';
    expect(addGoImports(file, ['"strings"'])).toBe(
      'package main\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\nfunc main() {}\n',
    );
  });
  it('after single import lines, else below the package clause, and never twice', () => {
    expect(addGoImports('package main\n\nimport "fmt"\n\nfunc main() {}\n', ['import "strings"'])).toBe(
      'package main\n\nimport "fmt"\nimport "strings"\n\nfunc main() {}\n',
    );
    expect(addGoImports('// Package main.\npackage main\n\nfunc f() {}\n', ['"strings"'])).toBe(
      '// Package main.\npackage main\n\nimport "strings"\n\nfunc f() {}\n',
    );
    const has = 'package main\n\nimport (\n\t"fmt"\n\ts "strings"\n)\n';
    expect(addGoImports(has, ['"strings"'])).toBe(has);
  });
  it('the import line rule matches block specs and import lines, not code', () => {
    const line = go.editPatterns.importLine;
    expect(
      ['\t"strings"', 'import "fmt"', 'import s "strings"', '\tm "math"'].every((l) => line.test(l)),
    ).toBe(true);
    expect(['\treturn "x"', '\t"a",', 'fmt.Println("x")'].some((l) => line.test(l))).toBe(false);
  });
});

describe('go test counts and verdict', () => {
  it('counts the top-level results of go test -json', () => {
    expect(countTests(REPORT.join('\n'), '')).toEqual({ run: 2, passed: 1, failed: 1 });
    expect(countTests('', 'go: cannot find main module')).toBeUndefined();
  });
  it('accepts an honest report', () => {
    expect(verdictMismatch([declared('TestAdd', 'TestSub'), ...REPORT].join('\n'), 1)).toBeUndefined();
  });
  it('a result printed by the program gives a test two results', () => {
    const forged = [
      declared('TestAdd', 'TestSub'),
      ...REPORT.slice(0, 2),
      event({ Action: 'output', Package: 'calc', Test: 'TestAdd', Output: '--- PASS: TestAdd (0.00s)\n' }),
      event({ Action: 'pass', Package: 'calc', Test: 'TestAdd', Elapsed: 0 }),
      ...REPORT.slice(2),
    ];
    expect(verdictMismatch(forged.join('\n'), 1)).toMatch(/more than once for TestAdd/);
  });
  it('a status 0 with failures, an undeclared test, a missing package result are each refused', () => {
    expect(verdictMismatch([declared('TestAdd', 'TestSub'), ...REPORT].join('\n'), 0)).toMatch(/status 0/);
    expect(verdictMismatch([declared('TestSub'), ...REPORT].join('\n'), 1)).toMatch(
      /TestAdd, which no test file declares/,
    );
    const early = [
      declared('TestAdd'),
      event({ Action: 'output', Package: 'calc', Test: 'TestAdd', Output: '--- PASS: TestAdd (0.00s)\n' }),
      event({ Action: 'pass', Package: 'calc', Test: 'TestAdd', Elapsed: 0 }),
    ];
    expect(verdictMismatch(early.join('\n'), 0)).toMatch(/before the testing package reported/);
    expect(verdictMismatch([declared('TestAdd', 'TestSub'), ...REPORT.slice(5)].join('\n'), 0)).toBeDefined();
  });
});

describe('go errors', () => {
  const ctx = {
    files: [
      { path: 'main.go', content: '' },
      { path: 'calc_test.go', content: '' },
    ],
    roots: ['/sandbox'],
  };
  it('takes the first go build error (captured from go 1.19)', () => {
    const out = '# probe\n./main.go:5:2: imported and not used: "os"\n./main.go:10:14: undefined: strings\n';
    expect(parseGoError(out, ctx)).toEqual({
      type: 'CompileError',
      message: '"os" imported and not used',
      file: 'main.go',
      line: 5,
    });
  });
  it('reads a panic at the first project frame of the goroutine that died', () => {
    const out = [
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x45a1b2]',
      '',
      'goroutine 1 [running]:',
      'main.(*Stack).Push(...)',
      '\t/sandbox/main.go:12',
      'main.main()',
      '\t/sandbox/main.go:20 +0x1d',
    ].join('\n');
    expect(parseGoError(out, ctx)).toEqual({
      type: 'NilPointerDereference',
      message: 'invalid memory address or nil pointer dereference',
      file: 'main.go',
      line: 12,
    });
    expect(
      parseGoError('panic: boom\n\ngoroutine 1 [running]:\nmain.main()\n\t/sandbox/main.go:4 +0x25\n', ctx),
    ).toEqual({
      type: 'Panic',
      message: 'boom',
      file: 'main.go',
      line: 4,
    });
  });
  it('reads a failed test from go test -json output', () => {
    expect(parseGoError(REPORT.join('\n'), ctx)).toEqual({
      type: 'TestFailure',
      message: 'Add(1, 2) = 4, want 3',
      file: 'calc_test.go',
      line: 7,
    });
    expect(go.verify.failingTestName(REPORT.join('\n'))).toBe('TestAdd');
  });
});

describe('go files', () => {
  it('adds a go.mod named after the project when the answer has none, and keeps one it has', () => {
    const main = { path: 'main.go', content: 'package main\n' };
    expect(completeFiles([main], 'word-count')).toEqual([
      main,
      { path: 'go.mod', content: 'module word-count\n\ngo 1.19\n' },
    ]);
    const own = { path: 'go.mod', content: 'module example.com/x\n' };
    expect(completeFiles([main, own], 'x')).toEqual([main, own]);
  });
});
