import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A language is one folder (packages/languages/src/<id>/) and one registry line: no other code may
 * decide by a language's name, or adding a language would mean finding those places again (issue 20).
 * Tests are left out: they name the languages they exercise on purpose (a fixture in python, a
 * comparison of two languages' signatures), which is data, not a rule of the system.
 */
const ROOT = resolve(import.meta.dirname, '..');
const sources = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.ts'], {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => /^(packages|services|scripts)\//.test(f) && existsSync(resolve(ROOT, f)))
  .filter((f) => !f.startsWith('packages/languages/') && !/\.test\.ts$|\/test\//.test(f));

// Built from pieces so this file does not match itself.
const RULES: [string, RegExp][] = [
  ['a comparison with a language name', new RegExp(['language', '\\s*[!=]==?\\s*[\'"`]'].join(''))],
  [
    'a comparison with a language name',
    new RegExp(['[\'"`](?:python|javascript|java)[\'"`]', '\\s*[!=]==?\\s*\\w*language'].join('')),
  ],
  // A complete Record<Language, …> needs a literal entry per language, so a new language must edit it; a
  // Partial one (results filled in at run time, such as each language's self-test) does not.
  ['a table keyed by language', new RegExp(['(?<!Partial<)Record<', '\\s*Language\\s*,'].join(''))],
  [
    'a switch over language names',
    new RegExp(['case ', '[\'"`](?:python|javascript|java)[\'"`]\\s*:'].join('')),
  ],
];

describe('language rules live in packages/languages', () => {
  it('finds the sources it checks', () => {
    expect(sources).toContain('packages/sandbox/src/verify/verify-project.ts');
    expect(sources).not.toContain('packages/languages/src/registry.ts');
  });

  it('no code outside the adapters compares a language name or keeps a per-language table', () => {
    const offenders: string[] = [];
    for (const f of sources) {
      readFileSync(resolve(ROOT, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [what, rule] of RULES)
            if (rule.test(line)) offenders.push(`${f}:${i + 1}: ${what}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });

  it('the rules catch what they are for', () => {
    const caught = (line: string) => RULES.some(([, rule]) => rule.test(line));
    expect(caught(`if (opts.language === 'python') {`)).toBe(true);
    expect(caught(`language !== "java" ? a : b`)).toBe(true);
    expect(caught(`const T: Record<Language, RegExp> = {`)).toBe(true);
    expect(caught(`    case 'javascript':`)).toBe(true);
    expect(caught(`existing.language !== body.language`)).toBe(false);
    expect(caught(`languages: Partial<Record<Language, LanguageSelfTest>>;`)).toBe(false);
  });
});
