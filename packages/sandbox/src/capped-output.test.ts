import { describe, expect, it } from 'vitest';
import { CappedOutput } from './capped-output.js';

describe('CappedOutput', () => {
  it('keeps everything under the cap', () => {
    const c = new CappedOutput(100);
    c.push(Buffer.from('a\nb\n'));
    expect(c.text()).toBe('a\nb\n');
    expect(c.truncated).toBe(false);
  });

  it('keeps the head and the tail of a long output (the last line is the error), within the cap', () => {
    const c = new CappedOutput(1024);
    for (let i = 0; i < 500; i++) c.push(Buffer.from(`frame ${i}\n`));
    c.push(Buffer.from('RecursionError: maximum recursion depth exceeded\n'));
    const text = c.text();
    expect(c.truncated).toBe(true);
    expect(text.startsWith('frame 0\n')).toBe(true);
    expect(text.endsWith('RecursionError: maximum recursion depth exceeded\n')).toBe(true);
    expect(text).toMatch(/\[… \d+ bytes of output omitted …\]/);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024);
  });
});
