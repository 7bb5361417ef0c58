import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLua } from './script.js';

const HERE = new URL('./', import.meta.url);
const ROOT = new URL('../../../../', import.meta.url);
/** Every script Redis runs (the files in ./includes are fragments, not scripts). */
const scripts = readdirSync(HERE, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.lua') && !path.startsWith('includes/'))
  .sort();
const urlOf = (path: string) => new URL(path, HERE);

/** Lua files anywhere in the packages' and services' sources (node_modules and dist skipped). */
function luaFilesUnder(dir: string): string[] {
  return readdirSync(new URL(dir, ROOT), { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory()) return luaFilesUnder(`${path}/`);
    return path.endsWith('.lua') ? [path] : [];
  });
}

describe('the Lua scripts', () => {
  it('all live in this one folder (the store, the webhook deliveries, the review lock, the fix library)', () => {
    expect(scripts).toEqual([
      'create-project.lua',
      'fail-pending-delivery.lua',
      'fenced-set.lua',
      'fix-add-alias.lua',
      'fix-delete.lua',
      'fix-import.lua',
      'fix-record-failure.lua',
      'fix-save-success.lua',
      'release-review-lock.lua',
      'update-project.lua',
    ]);
    const elsewhere = ['packages/', 'services/']
      .flatMap(luaFilesUnder)
      .filter((path) => !path.startsWith('packages/core/src/lua/') && !path.includes('/bench/'));
    expect(elsewhere).toEqual([]);
  });

  it.each(scripts)('%s opens with its contract and expands every include once', (path) => {
    const header = /^--\[\[([\s\S]*?)\]\]/.exec(readFileSync(urlOf(path), 'utf8'))?.[1] ?? '';
    for (const part of ['KEYS', 'ARGV', 'Returns']) expect(header).toContain(part);
    const source = readLua(urlOf(path));
    expect(source).not.toMatch(/^--- @include/m);
    const defined = [...source.matchAll(/^local function (\w+)/gm)].map((m) => m[1]);
    expect(defined.length).toBe(new Set(defined).size);
  });

  it('share the fence check and the outbox append instead of copying them', () => {
    const copies = scripts
      .map((path) => readFileSync(urlOf(path), 'utf8'))
      .filter((raw) => raw.includes('local function fenceLost') || raw.includes("'XADD'"));
    expect(copies).toEqual([]);
    const update = readLua(urlOf('update-project.lua'));
    expect(update).toContain('local function fenceLost');
    expect(update).toContain('local function appendEvent');
    // The library reaches the fence through its prelude.
    expect(readLua(urlOf('fix-save-success.lua'))).toContain('local function fenceLost');
  });
});
