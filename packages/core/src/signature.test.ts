import { describe, expect, it } from 'vitest';
import {
  errorSignature,
  errorSignatureV1,
  errorSignatureV2,
  isReusableError,
  normaliseErrorMessage,
  SIGNATURE_VERSION,
  signaturesFor,
} from './signature.js';
import { signatureInputOf } from './signature-scope.js';

const sig = (language: string, type: string, message: string) => errorSignature({ language, type, message });

describe('normaliseErrorMessage', () => {
  it('keeps the missing name, module and symbol that decide the fix', () => {
    expect(normaliseErrorMessage("name 'Image' is not defined")).toBe("name 'Image' is not defined");
    expect(normaliseErrorMessage("No module named 'PIL'")).toBe("No module named 'PIL'");
    expect(normaliseErrorMessage('ReferenceError: fetchUser is not defined', 'ReferenceError')).toBe(
      'fetchUser is not defined',
    );
    expect(
      normaliseErrorMessage(
        'Main.java:7: error: cannot find symbol\n        total += count;\n                 ^\n  symbol:   variable count\n  location: class Main',
      ),
    ).toBe('cannot find symbol symbol: variable count');
  });

  it('replaces paths, urls, line and column numbers, addresses, numbers and quoted values', () => {
    expect(normaliseErrorMessage('bad thing in /sandbox/src/app.py line 12 at 0x7f3a2b, code 42')).toBe(
      'bad thing in <path> line <n> at <addr>, code <n>',
    );
    expect(normaliseErrorMessage("invalid literal for int() with base 10: 'twelve apples'")).toBe(
      'invalid literal for int() with base <n>: <str>',
    );
    expect(normaliseErrorMessage('connect ECONNREFUSED 127.0.0.1:6379')).toBe(
      'connect ECONNREFUSED <n>.<n>:<n>',
    );
    expect(normaliseErrorMessage('request to https://api.example.com/v1/items failed, reason: timeout')).toBe(
      'request to <url> failed, reason: timeout',
    );
    expect(normaliseErrorMessage("Cannot find module './lib/util' imported from /w/index.mjs")).toBe(
      "Cannot find module '<path>' imported from <path>",
    );
  });

  it('keeps quoted identifiers such as type names', () => {
    expect(normaliseErrorMessage("unsupported operand type(s) for +: 'int' and 'str'")).toBe(
      "unsupported operand type(s) for +: 'int' and 'str'",
    );
  });

  it('uses the first line (plus a javac symbol line) only', () => {
    expect(normaliseErrorMessage('first\nsecond')).toBe('first');
  });
});

describe('errorSignature', () => {
  it('matches the same python mistake in two projects with different paths and lines', () => {
    const a = sig('python', 'NameError', "name 'Image' is not defined");
    const b = sig('py', 'NameError', "NameError: name 'Image' is not defined");
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(sig('python', 'NameError', "name 'np' is not defined")).not.toBe(a);
    expect(sig('python', 'ModuleNotFoundError', "No module named 'PIL'")).not.toBe(
      sig('python', 'ModuleNotFoundError', "No module named 'numpy'"),
    );
  });

  it('matches node errors that differ only in values and locations', () => {
    const a = sig(
      'javascript',
      'TypeError',
      "Cannot read properties of undefined (reading 'map') at /a/x.js:3:9",
    );
    const b = sig('js', 'TypeError', "Cannot read properties of undefined (reading 'map') at /b/y/z.js:40:2");
    expect(a).toBe(b);
    expect(sig('javascript', 'TypeError', "Cannot read properties of undefined (reading 'length')")).not.toBe(
      sig('javascript', 'TypeError', "Cannot read properties of undefined (reading 'map')"),
    );
  });

  it('matches javac errors by the missing symbol, not by the file or line', () => {
    const msg = (file: string, line: number, name: string) =>
      `${file}:${line}: error: cannot find symbol\n    x = ${name};\n  symbol:   variable ${name}\n  location: class ${file.replace('.java', '')}`;
    expect(sig('java', 'CompilationError', msg('Main.java', 7, 'count'))).toBe(
      sig('java', 'CompilationError', msg('Calc.java', 31, 'count')),
    );
    expect(sig('java', 'CompilationError', msg('Main.java', 7, 'count'))).not.toBe(
      sig('java', 'CompilationError', msg('Main.java', 7, 'total')),
    );
  });

  it('separates languages and error types', () => {
    const m = 'division by zero at line 3';
    expect(sig('python', 'ZeroDivisionError', m)).not.toBe(sig('javascript', 'ZeroDivisionError', m));
    expect(sig('python', 'ZeroDivisionError', m)).not.toBe(sig('python', 'ArithmeticError', m));
  });
});

describe('signatures that mean the mistake (version 3)', () => {
  it('strips Python\'s "Did you mean" hints: one missing name, one signature', () => {
    const plain = sig('python', 'NameError', "name 'lenght' is not defined");
    expect(sig('python', 'NameError', "name 'lenght' is not defined. Did you mean: 'length'?")).toBe(plain);
    expect(sig('python', 'NameError', "name 'lenght' is not defined. Did you mean: 'len'?")).toBe(plain);
    expect(sig('python', 'NameError', "name 'math' is not defined. Did you forget to import 'math'?")).toBe(
      sig('python', 'NameError', "name 'math' is not defined"),
    );
    expect(
      sig('python', 'AttributeError', "'list' object has no attribute 'push'. Did you mean: 'pop'?"),
    ).toBe(sig('python', 'AttributeError', "'list' object has no attribute 'push'"));
    expect(sig('python', 'NameError', "name 'lenght' is not defined. Did you mean: 'length'?")).not.toBe(
      sig('python', 'NameError', "name 'widht' is not defined. Did you mean: 'width'?"),
    );
  });

  it('uses javac\'s first error: line and its symbol, never the "<n> errors" summary', () => {
    const javac = (file: string, line: number, name: string, more = '') =>
      `${file}:${line}: error: cannot find symbol\n        List<${name}> xs = new ${name}<>();\n                                ^\n  symbol:   class ${name}\n  location: class ${file.replace('.java', '')}\n${more}2 errors`;
    const a = sig('java', 'CompileError', javac('Main.java', 7, 'ArrayList'));
    expect(
      sig('java', 'CompileError', javac('Inventory.java', 40, 'ArrayList', 'Other.java:3: error: x\n')),
    ).toBe(a);
    expect(sig('java', 'CompileError', javac('Main.java', 7, 'HashMap'))).not.toBe(a);
    // The extractor's form of the same error (first error, symbol appended) is the same signature.
    expect(sig('java', 'CompileError', 'cannot find symbol: class ArrayList')).toBe(a);
    // Two different compile failures that reached us only as the summary are not one mistake.
    expect(isReusableError({ language: 'java', type: 'CompileError', message: '1 error' })).toBe(false);
  });

  it("keeps the missing member and the receiver's type, not the receiver's variable name", () => {
    expect(sig('javascript', 'TypeError', 'words.contains is not a function')).toBe(
      sig('javascript', 'TypeError', 's.contains is not a function'),
    );
    expect(sig('javascript', 'TypeError', 'this.items.append is not a function')).toBe(
      sig('javascript', 'TypeError', 'queue.append is not a function'),
    );
    expect(sig('javascript', 'TypeError', 'words.contains is not a function')).not.toBe(
      sig('javascript', 'TypeError', 'words.append is not a function'),
    );
    // A bare function name is the mistake itself and stays.
    expect(sig('javascript', 'TypeError', 'fetchUser is not a function')).not.toBe(
      sig('javascript', 'TypeError', 'loadUser is not a function'),
    );
    // The extractor's form: the variable is already gone, its type kept.
    const javac = (type: string) => `cannot find symbol: method length() (receiver ${type})`;
    expect(sig('java', 'CompileError', javac('String[]'))).toBe(
      sig(
        'java',
        'CompileError',
        'Calc.java:9: error: cannot find symbol\n  n = names.length();\n  symbol:   method length()\n  location: variable names of type String[]',
      ),
    );
    expect(sig('java', 'CompileError', javac('String[]'))).not.toBe(
      sig('java', 'CompileError', javac('Inventory')),
    );
    // Python already names the type, never the variable.
    expect(normaliseErrorMessage("'dict' object has no attribute 'iteritems'")).toBe(
      "'dict' object has no attribute 'iteritems'",
    );
  });

  it('keeps unrelated assertion failures and NPEs without a named member apart', () => {
    const failure = (code: string, line: number, message: string, type = 'AssertionError') => ({
      type,
      message,
      line,
      block: { file: 'test_x.py', startLine: 1, endLine: code.split('\n').length, code },
    });
    const totals = failure('def test_total(self):\n    self.assertEqual(total([1, 2]), 3)', 2, '4 != 3');
    const names = failure('def test_names(self):\n    self.assertEqual(first(xs), 2)', 2, '4 != 3');
    const a = signatureInputOf('python', totals);
    const b = signatureInputOf('python', names);
    expect(normaliseErrorMessage(a.message)).toBe(normaliseErrorMessage(b.message));
    expect(errorSignature(a)).not.toBe(errorSignature(b));
    expect(isReusableError(a)).toBe(true);
    // Without a place, an assertion is not reusable at all, and older versions are not consulted.
    const bare = { language: 'python', type: 'AssertionError', message: '4 != 3' };
    expect(isReusableError(bare)).toBe(false);
    expect(signaturesFor(bare)).toHaveLength(1);

    const npe = (local: string) => `Cannot invoke "String.length()" because "${local}" is null`;
    // A named member is a mistake of its own, whatever the local is called...
    expect(sig('java', 'NullPointerException', npe('<local1>'))).toBe(
      sig('java', 'NullPointerException', npe('name')),
    );
    expect(sig('java', 'NullPointerException', npe('name'))).not.toBe(
      sig('java', 'NullPointerException', 'Cannot invoke "java.util.List.size()" because "items" is null'),
    );
    // ...an NPE without one says nothing: apart by place, and not reusable without one.
    const x = signatureInputOf(
      'java',
      failure('void run() {\n  a.go();', 2, 'java.lang.NullPointerException', 'NullPointerException'),
    );
    const y = signatureInputOf(
      'java',
      failure('int size() {\n  return b.n;', 2, 'java.lang.NullPointerException', 'NullPointerException'),
    );
    expect(errorSignature(x)).not.toBe(errorSignature(y));
    expect(
      isReusableError({
        language: 'java',
        type: 'NullPointerException',
        message: 'java.lang.NullPointerException',
      }),
    ).toBe(false);
  });
});

describe('signaturesFor', () => {
  it('lists the current signature first, then those of versions 2 and 1', () => {
    const input = { language: 'python', type: 'NameError', message: "name 'Image' is not defined (line 3)" };
    expect(signaturesFor(input)).toEqual([
      { version: SIGNATURE_VERSION, signature: errorSignature(input) },
      { version: 2, signature: errorSignatureV2(input) },
      { version: 1, signature: errorSignatureV1(input) },
    ]);
    expect(SIGNATURE_VERSION).toBe(3);
  });
});
