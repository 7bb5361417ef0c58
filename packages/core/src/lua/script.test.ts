import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readLua } from './script.js';

const SRC = new URL('../', import.meta.url);
/** Every script Redis runs (includes and the library's shared prelude are fragments, not scripts). */
const scripts = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.lua') && !path.includes('includes/') && !path.endsWith('_library.lua'))
  .sort();
const urlOf = (path: string) => new URL(path, SRC);

describe('the Lua scripts', () => {
  it('are found (the store, the webhook deliveries and the fix library)', () => {
    expect(scripts).toEqual([
      'events/lua/fail-pending-delivery.lua',
      'fix-library/lua/add-alias.lua',
      'fix-library/lua/delete.lua',
      'fix-library/lua/import.lua',
      'fix-library/lua/record-failure.lua',
      'fix-library/lua/save-success.lua',
      'lua/create-project.lua',
      'lua/fenced-set.lua',
      'lua/update-project.lua',
    ]);
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
    const update = readLua(urlOf('lua/update-project.lua'));
    expect(update).toContain('local function fenceLost');
    expect(update).toContain('local function appendEvent');
    // The library reaches the fence through its prelude.
    expect(readLua(urlOf('fix-library/lua/save-success.lua'))).toContain('local function fenceLost');
  });
});
