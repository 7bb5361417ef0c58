import { describe, expect, it } from 'vitest';
import {
  ADAPTERS,
  adapterOf,
  canonicalLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  languageOfPath,
  perLanguage,
  TOOLS,
  toolsOf,
} from './index.js';

describe('the language registry', () => {
  it('lists the languages in registry order, each adapter under its own id', () => {
    expect(LANGUAGES).toEqual(['python', 'javascript', 'java', 'typescript', 'go']);
    for (const language of LANGUAGES) expect(adapterOf(language).id).toBe(language);
  });

  it('accepts the Python system’s short names, any case and padding, and nothing else', () => {
    expect(canonicalLanguage(' PY ')).toBe('python');
    expect(canonicalLanguage('js')).toBe('javascript');
    expect(canonicalLanguage('Java')).toBe('java');
    expect(canonicalLanguage('ruby')).toBeUndefined();
    expect(canonicalLanguage('golang')).toBe('go');
    expect(canonicalLanguage('TS')).toBe('typescript');
    expect(LANGUAGE_NAMES.join(', ')).toBe('py, js, java, ts, golang, python, javascript, typescript, go');
  });

  it('refuses an unknown name instead of answering with another language', () => {
    expect(() => adapterOf('ruby' as never)).toThrow(/unknown language "ruby"/);
    expect(() => adapterOf('py' as never)).toThrow(/unknown language "py"/);
  });

  it('tells a file’s language by its extension, as path.extname reads it', () => {
    expect(languageOfPath('src/calc.py')).toBe('python');
    expect(languageOfPath('lib/x.mjs')).toBe('javascript');
    expect(languageOfPath('Main.java')).toBe('java');
    expect(languageOfPath('.py')).toBeUndefined();
    expect(languageOfPath('notes.txt')).toBeUndefined();
    expect(languageOfPath('x.py/readme')).toBeUndefined();
  });

  it('gives every language its tools, and no two languages one name with two paths', () => {
    expect(toolsOf('java')).toEqual(['java', 'javac']);
    for (const adapter of ADAPTERS)
      for (const [tool, path] of Object.entries(adapter.toolchain.tools)) {
        expect(path).toMatch(/^\//);
        expect(TOOLS[tool as keyof typeof TOOLS]).toBe(path);
      }
  });

  it('builds a table with one entry per language', () => {
    expect(perLanguage((a) => a.files.defaultEntries[0])).toEqual({
      python: 'main.py',
      javascript: 'index.js',
      java: 'Main.java',
      typescript: 'main.ts',
      go: 'main.go',
    });
  });

  it('has a test-file rule that accepts its own naming and refuses the entry file', () => {
    const cases: [string, string, string][] = [
      ['python', 'test_calc.py', 'main.py'],
      ['javascript', 'src/calc.test.js', 'index.js'],
      ['java', 'CalcTest.java', 'Main.java'],
      ['typescript', 'calc.test.ts', 'main.ts'],
      ['go', 'calc_test.go', 'main.go'],
    ];
    for (const [language, test, entry] of cases) {
      const { files } = adapterOf(language as (typeof LANGUAGES)[number]);
      expect(files.test.test(test)).toBe(true);
      expect(files.test.test(entry)).toBe(false);
      expect(files.source.test(test) && files.source.test(entry)).toBe(true);
    }
  });
});
