import { describe, expect, it } from 'vitest';
import { applyBlock, blockFor, provenFixCode, regionAfter } from './code-block.js';

const OLD = 'a\nb\nBAD\nc\nd\n';
const block = { file: 'm.py', startLine: 2, endLine: 4, code: 'b\nBAD\nc' };
const failure = { type: 'E', message: 'm', file: 'm.py', line: 3, block };
const before = [{ path: 'm.py', content: OLD }];

describe('applyBlock', () => {
  it('replaces exactly the line range and keeps the final newline', () => {
    expect(applyBlock(before, block, 'b\nGOOD1\nGOOD2\nc')).toEqual([
      { path: 'm.py', content: 'a\nb\nGOOD1\nGOOD2\nc\nd\n' },
    ]);
  });

  it('creates the file when the block names one that does not exist', () => {
    expect(applyBlock([], { file: 'n.py', startLine: 1, endLine: 1, code: '' }, 'x')).toEqual([
      { path: 'n.py', content: 'x\n' },
    ]);
  });
});

describe('blockFor', () => {
  it('uses the extracted block when there is one', () => {
    expect(blockFor(failure, before, 'python')).toBe(block);
  });

  it('without a location: the whole entry file, as the default entry of the language', () => {
    const files = [
      { path: 'x.py', content: 'x\n' },
      { path: 'main.py', content: 'one\ntwo\n' },
    ];
    expect(blockFor({ type: 'Timeout', message: 'm' }, files, 'python')).toEqual({
      file: 'main.py',
      startLine: 1,
      endLine: 2,
      code: 'one\ntwo',
    });
  });
});

describe('blockFor never hands a test file to repair', () => {
  const files = [
    { path: 'main.py', content: 'from calc import add\nprint(add(1, 2))\n' },
    { path: 'calc.py', content: 'def add(a, b):\n    return a - b\n' },
    { path: 'test_calc.py', content: 'import unittest\n' },
  ];
  it('a recorded block or location in a test file falls back to the code: the entry file', () => {
    const inTest = {
      type: 'AssertionError',
      message: '-1 != 3',
      file: 'test_calc.py',
      line: 1,
      block: { file: 'test_calc.py', startLine: 1, endLine: 1, code: 'import unittest' },
    };
    expect(blockFor(inTest, files, 'python')).toMatchObject({ file: 'main.py', startLine: 1, endLine: 2 });
  });

  it('a project of test files only still gets a block (its candidates will be refused)', () => {
    const onlyTests = [files[2] as { path: string; content: string }];
    expect(blockFor({ type: 'E', message: 'm', file: 'test_calc.py' }, onlyTests, 'python').file).toBe(
      'test_calc.py',
    );
  });
});

describe('regionAfter', () => {
  it('takes the block’s lines with its end moved by the change in length', () => {
    const after = [{ path: 'm.py', content: 'a\nb\nGOOD1\nGOOD2\nc\nd\n' }];
    expect(regionAfter(block, before, after)).toBe('b\nGOOD1\nGOOD2\nc');
  });

  it('a block deleted entirely is an empty replacement', () => {
    expect(regionAfter(block, before, [{ path: 'm.py', content: 'a\nd\n' }])).toBe('');
  });

  it('a file that is new is taken whole; a file that is gone gives nothing', () => {
    expect(regionAfter(block, [], [{ path: 'm.py', content: 'fixed\n' }])).toBe('fixed');
    expect(regionAfter(block, before, [{ path: 'n.py', content: '' }])).toBe(undefined);
  });
});

describe('provenFixCode', () => {
  it('round-trips: applying the working code to the failing files gives the working files', () => {
    const after = [{ path: 'm.py', content: 'a\nb\nGOOD\nc\nd\n' }];
    const fix = provenFixCode(failure, before, after, 'python');
    expect(fix).toMatchObject({ errorType: 'E', originalCode: 'b\nBAD\nc', workingCode: 'b\nGOOD\nc' });
    expect(fix?.signature).toMatch(/^[0-9a-f]{32}$/);
    expect(applyBlock(before, block, fix?.workingCode ?? '')).toEqual(after);
  });

  it('a repair that landed outside the failing block (hard fix moved on to a caller) is kept as that range', () => {
    const files = [{ path: 'm.py', content: 'a\nb\nBAD\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nCALLER\n' }];
    const after = [{ path: 'm.py', content: files[0]?.content.replace('CALLER', 'FIXED') ?? '' }];
    const patched = { file: 'm.py', startLine: 14, endLine: 14 };
    expect(provenFixCode(failure, files, after, 'python', undefined, patched)).toMatchObject({
      originalCode: 'CALLER',
      workingCode: 'FIXED',
    });
    // Inside the failing block, the block stays what is saved.
    const inside = provenFixCode(
      failure,
      before,
      [{ path: 'm.py', content: 'a\nb\nGOOD\nc\nd\n' }],
      'python',
      undefined,
      { file: 'm.py', startLine: 3, endLine: 3 },
    );
    expect(inside).toMatchObject({ originalCode: 'b\nBAD\nc', workingCode: 'b\nGOOD\nc' });
  });
});
