import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A clone alone must explain the system: no file may point outside the repository. */
const ROOT = resolve(import.meta.dirname, '..');
const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && existsSync(resolve(ROOT, f)) && !/\.(png|jpg|ico|lock|ya?ml)$|pnpm-lock/.test(f));

const read = (f: string) => readFileSync(resolve(ROOT, f), 'utf8');
// Built from pieces so this file does not match itself.
const OUTSIDE = new RegExp(['\\.\\./', 'shared', '|', '/work', '/shared'].join(''));

describe('the repository explains itself', () => {
  it('no file refers to a path outside the repository', () => {
    const offenders = files.filter((f) => OUTSIDE.test(read(f)));
    expect(offenders).toEqual([]);
  });

  it('every relative Markdown link points at a file inside the repository that exists', () => {
    const broken: string[] = [];
    for (const f of files.filter((name) => name.endsWith('.md'))) {
      for (const m of read(f).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = (m[1] ?? '').split('#')[0] ?? '';
        if (target === '' || /^[a-z]+:/.test(target)) continue;
        const path = resolve(ROOT, dirname(f), target);
        if (relative(ROOT, path).startsWith('..') || !existsSync(path)) broken.push(`${f}: ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
