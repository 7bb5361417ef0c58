import { describe, expect, it } from 'vitest';
import {
  errorSignature,
  errorSignatureV1,
  normaliseErrorMessage,
  SIGNATURE_VERSION,
  signaturesFor,
} from './signature.js';

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
    ).toBe('<path>:<n>: error: cannot find symbol symbol: variable count');
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

describe('signaturesFor', () => {
  it('lists the current signature first and the version 1 one after it', () => {
    const input = { language: 'python', type: 'NameError', message: "name 'Image' is not defined (line 3)" };
    expect(signaturesFor(input)).toEqual([
      { version: SIGNATURE_VERSION, signature: errorSignature(input) },
      { version: 1, signature: errorSignatureV1(input) },
    ]);
  });
});
