import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { QUEUES, stageJobId } from '@hardfix/contracts';
import { envSchema, loadEnv } from '@hardfix/core';
import { describe, expect, it } from 'vitest';

/** The front door must say what the code does: these facts are read from both and compared. */
const ROOT = resolve(import.meta.dirname, '..');
const read = (f: string) => readFileSync(resolve(ROOT, f), 'utf8');

/** The rows of README's "Configuration" table: the names in the first cell, the second cell. */
function configurationTable(): { names: string[]; defaultCell: string }[] {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const table = section.slice(0, section.indexOf('\n## '));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [names = '', defaultCell = ''] = line.split(' | ');
      return { names: [...names.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1] ?? ''), defaultCell };
    });
}

describe('the docs match the code', () => {
  it("README's configuration table lists exactly the variables env.ts reads", () => {
    const documented = configurationTable()
      .flatMap((row) => row.names)
      .sort();
    expect(documented).toEqual(Object.keys(envSchema.shape).sort());
  });

  it("README's configuration table gives env.ts's defaults (where the default is one value)", () => {
    const defaults = loadEnv({}) as Record<string, unknown>;
    const wrong: string[] = [];
    for (const { names, defaultCell } of configurationTable()) {
      const literal = /^`([^`]+)`$/.exec(defaultCell.trim())?.[1];
      const [name] = names;
      // A computed default (`/var/tmp/hardfix-sandbox-<uid>`) is described, not a value.
      if (names.length !== 1 || literal === undefined || !name || literal.includes('<')) continue;
      if (String(defaults[name]) !== literal)
        wrong.push(`${name}: README ${literal}, env.ts ${String(defaults[name])}`);
    }
    expect(wrong).toEqual([]);
  });

  it('docs/architecture.md gives the stage job id as the code builds it', () => {
    const doc = read('docs/architecture.md');
    const said = /A stage job is `\{projectId, n\}` with the id `([^`]+)`/.exec(doc)?.[1];
    expect(said).toBeDefined();
    const filled = (said ?? '')
      .replace('<queue>', QUEUES.hardFix)
      .replace('<projectId>', 'p-1')
      .replace('<n>', '7');
    expect(filled).toBe(stageJobId(QUEUES.hardFix, 'p-1', 7));
  });

  // A cited document (an upper-case NAME dot md, or one under docs/) must be one a clone has.
  it('no source file cites a Markdown document the repository does not have', () => {
    const tracked = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|js|lua)$/.test(f) && existsSync(resolve(ROOT, f)));
    const markdown = new Set(
      execFileSync('git', ['ls-files', '-co', '--exclude-standard', '*.md'], { cwd: ROOT, encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .flatMap((f) => [f, f.split('/').at(-1) ?? f]),
    );
    const missing = tracked.flatMap((f) =>
      [...read(f).matchAll(/\b((?:docs\/[\w-]+|[A-Z][A-Z0-9_-]+)\.md)\b/g)]
        .map((m) => m[1] ?? '')
        .filter((cited) => !markdown.has(cited) && !markdown.has(cited.split('/').at(-1) ?? cited))
        .map((cited) => `${f}: ${cited}`),
    );
    expect(missing).toEqual([]);
  });

  it('docs/glossary.md defines the house words', () => {
    const glossary = read('docs/glossary.md');
    const defined = [...glossary.matchAll(/^\*\*([^*]+)\*\*/gm)].map((m) => (m[1] ?? '').toLowerCase());
    for (const word of ['seed', 'round', 'spec', 'parked', 'origin', 'way', 'tier', 'flow table'])
      expect(defined, word).toContain(word);
  });
});
