import { describe, expect, it } from 'vitest';
import { keys, libraryKeyTemplates } from './keys.js';

/** What includes/library.lua's key() does with a template. */
const fill = (parts: string[], ...params: string[]) =>
  params.reduce((out, param, i) => `${out}${param}${parts[i + 1]}`, parts[0] ?? '');

describe('the library key templates the Lua scripts are given', () => {
  it.each(['hardfix', '{hf}', 'a:b'])('build the same keys as keys.ts (prefix %s)', (prefix) => {
    const k = keys(prefix);
    const t = libraryKeyTemplates(prefix);
    expect(fill(t.fix, 'sig.abc')).toBe(k.fix('sig.abc'));
    expect(fill(t.fixUsers, 'x')).toBe(k.fixUsers('x'));
    expect(fill(t.fixFailures, 'x')).toBe(k.fixFailures('x'));
    expect(fill(t.fixImports, 'x')).toBe(k.fixImports('x'));
    expect(fill(t.fixCandidates, 'sig')).toBe(k.fixCandidates('sig'));
    expect(fill(t.stats)).toBe(k.stats);
    expect(fill(t.fixesAll)).toBe(k.fixesAll);
    expect(fill(t.fixesByLanguage, 'python')).toBe(k.fixesByLanguage('python'));
    expect(fill(t.fixesByType, 'NameError')).toBe(k.fixesByType('NameError'));
    expect(fill(t.fixesByLanguageAndType, 'java', 'NPE')).toBe(k.fixesByLanguageAndType('java', 'NPE'));
  });
});
