import { describe, expect, it } from 'vitest';
import { manualFixCode } from '../src/lib/review/working-code.js';

const OLD = 'a\nb\nBAD\nc\nd\n';
const block = { file: 'm.py', startLine: 2, endLine: 4, code: 'b\nBAD\nc' };
const failure = { type: 'E', message: 'm', file: 'm.py', line: 3, block };

describe('manualFixCode', () => {
  it('takes the block’s lines, its end moved by the change in length', () => {
    const after = [{ path: 'm.py', content: 'a\nb\nGOOD1\nGOOD2\nc\nd\n' }];
    expect(manualFixCode(failure, [{ path: 'm.py', content: OLD }], after, 'python')).toEqual({
      workingCode: 'b\nGOOD1\nGOOD2\nc',
      originalCode: 'b\nBAD\nc',
    });
  });

  it('a block deleted entirely is an empty replacement', () => {
    const after = [{ path: 'm.py', content: 'a\nd\n' }];
    expect(manualFixCode(failure, [{ path: 'm.py', content: OLD }], after, 'python')?.workingCode).toBe('');
  });

  it('without a block, or for a file that is new, the whole new file', () => {
    const after = [{ path: 'm.py', content: 'fixed\n' }];
    expect(manualFixCode({ type: 'E', message: 'm', file: 'm.py' }, [], after, 'python')).toEqual({
      workingCode: 'fixed\n',
    });
    expect(manualFixCode(failure, [], after, 'python')).toEqual({
      workingCode: 'fixed\n',
      originalCode: block.code,
    });
    // No location at all: the entry file, as hard fix would pick it.
    const files = [
      { path: 'x.py', content: 'x\n' },
      { path: 'main.py', content: 'main\n' },
    ];
    expect(manualFixCode({ type: 'Timeout', message: 'm' }, files, files, 'python')?.workingCode).toBe(
      'main\n',
    );
  });

  it('nothing when the failing file is gone', () => {
    expect(
      manualFixCode(failure, [{ path: 'm.py', content: OLD }], [{ path: 'n.py', content: '' }], 'python'),
    ).toBe(undefined);
  });
});
