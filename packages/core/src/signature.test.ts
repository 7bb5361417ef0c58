import { describe, expect, it } from 'vitest';
import { errorSignature, normaliseErrorMessage } from './signature.js';

describe('normaliseErrorMessage', () => {
  it('keeps the identifier that decides the fix', () => {
    expect(normaliseErrorMessage("name 'Image' is not defined")).toBe("name 'Image' is not defined");
  });

  it('replaces paths, line numbers, addresses and numbers', () => {
    expect(normaliseErrorMessage('bad thing in /sandbox/src/app.py line 12 at 0x7f3a2b, code 42')).toBe(
      'bad thing in <path> line <n> at <addr>, code <n>',
    );
    expect(normaliseErrorMessage('index.js:14:7 Unexpected token')).toBe('<path>:<n> Unexpected token');
  });

  it('keeps only the first line', () => {
    expect(normaliseErrorMessage('first\nsecond')).toBe('first');
  });
});

describe('errorSignature', () => {
  it('matches the same mistake in two projects and separates different ones', () => {
    const a = errorSignature({
      language: 'python',
      type: 'ZeroDivisionError',
      message: 'division by zero at line 3',
    });
    const b = errorSignature({
      language: 'python',
      type: 'ZeroDivisionError',
      message: 'division by zero at line 40',
    });
    const c = errorSignature({
      language: 'javascript',
      type: 'ZeroDivisionError',
      message: 'division by zero at line 3',
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).toMatch(/^[0-9a-f]{32}$/);
  });
});
