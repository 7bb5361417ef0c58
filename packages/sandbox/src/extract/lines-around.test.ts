import { describe, expect, it } from 'vitest';
import { extractCodeBlock } from './lines-around.js';

const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
const files = [{ path: 'a.py', content: `${lines.join('\n')}\n` }];

describe('extractCodeBlock', () => {
  it('takes five lines either side, 1-based and inclusive', () => {
    expect(extractCodeBlock(files, 'a.py', 10)).toEqual({
      file: 'a.py',
      startLine: 5,
      endLine: 15,
      code: lines.slice(4, 15).join('\n'),
    });
  });

  it('clamps to the start and end of the file, ignoring the trailing newline', () => {
    expect(extractCodeBlock(files, 'a.py', 2)).toMatchObject({ startLine: 1, endLine: 7 });
    expect(extractCodeBlock(files, 'a.py', 20)).toMatchObject({
      startLine: 15,
      endLine: 20,
      code: lines.slice(14).join('\n'),
    });
  });

  it('honours a custom context and refuses unknown files or lines', () => {
    expect(extractCodeBlock(files, 'a.py', 10, 1)).toMatchObject({
      startLine: 9,
      endLine: 11,
      code: 'line 9\nline 10\nline 11',
    });
    expect(extractCodeBlock(files, 'b.py', 1)).toBeUndefined();
    expect(extractCodeBlock(files, 'a.py', 21)).toBeUndefined();
  });
});
