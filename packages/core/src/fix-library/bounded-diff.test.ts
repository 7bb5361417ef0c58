import { describe, expect, it } from 'vitest';
import { boundedHunks, MAX_DIFF_EDITS, MAX_DIFF_INPUT_CHARS } from './bounded-diff.js';
import { applyProvenFix, makeFixPatch } from './fix-patch.js';

describe('bounded diffs', () => {
  it('diffs a block-sized change', () => {
    expect(boundedHunks('a\nb\nc', 'a\nB\nc', 0)?.map((h) => h.lines)).toEqual([['-b', '+B']]);
  });

  it('refuses 1 MB inputs at once instead of diffing them', () => {
    const big = 'x = 1\n'.repeat(180_000);
    expect(big.length).toBeGreaterThan(MAX_DIFF_INPUT_CHARS);
    // Undefined, not one hunk: refused before diffing (no elapsed-time bound, which a loaded host breaks).
    expect(boundedHunks(big, `${big}y = 2\n`, 0)).toBeUndefined();
    const fix = makeFixPatch(big, `${big}y = 2\n`);
    expect(fix.patch).toBeUndefined();
    expect(fix.changeHash).toMatch(/^[0-9a-f]{32}$/);
    expect(
      applyProvenFix(
        { working_code: 'y', original_code: 'x', patch: '@@ -1 +1 @@\n-x\n+y\n' },
        {
          file: 'a.py',
          startLine: 1,
          endLine: 180_000,
          code: big,
        },
      ),
    ).toBeUndefined();
  });

  it('gives up on a diff with more edits than MAX_DIFF_EDITS', () => {
    // 7,800 edits (every line replaced) against a bound of 2,000: the diff stops at the bound.
    const a = Array.from({ length: 3_900 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 3_900 }, (_, i) => `b${i}`).join('\n');
    expect(MAX_DIFF_EDITS).toBeLessThan(7_800);
    expect(boundedHunks(a, b, 0)).toBeUndefined();
  });
});
