import { describe, expect, it } from 'vitest';
import { boundedHunks, MAX_DIFF_INPUT_CHARS } from './bounded-diff.js';
import { applyProvenFix, makeFixPatch } from './fix-patch.js';

describe('bounded diffs', () => {
  it('diffs a block-sized change', () => {
    expect(boundedHunks('a\nb\nc', 'a\nB\nc', 0)?.map((h) => h.lines)).toEqual([['-b', '+B']]);
  });

  it('refuses 1 MB inputs at once instead of diffing them', () => {
    const big = 'x = 1\n'.repeat(180_000);
    expect(big.length).toBeGreaterThan(MAX_DIFF_INPUT_CHARS);
    const started = Date.now();
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
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('gives up on a diff with too many edits within its time limit', () => {
    const a = Array.from({ length: 3_900 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 3_900 }, (_, i) => `b${i}`).join('\n');
    const started = Date.now();
    expect(boundedHunks(a, b, 0)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
