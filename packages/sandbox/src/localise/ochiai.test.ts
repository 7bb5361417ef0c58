import { describe, expect, it } from 'vitest';
import { ochiai } from './ochiai.js';

describe('ochiai', () => {
  it('scores ef / sqrt(totalFailed * (ef + ep)), most suspicious first, and drops lines no failing test ran', () => {
    const ranked = ochiai([
      { failed: true, lines: ['a.py:1', 'a.py:2'] },
      { failed: true, lines: ['a.py:2'] },
      { failed: false, lines: ['a.py:1', 'a.py:3'] },
    ]);
    expect(ranked).toEqual([
      { file: 'a.py', line: 2, score: 1 },
      { file: 'a.py', line: 1, score: 1 / Math.sqrt(2 * 2) },
    ]);
  });

  it('ranks nothing when no test failed', () => {
    expect(ochiai([{ failed: false, lines: ['a.py:1'] }])).toEqual([]);
  });
});
