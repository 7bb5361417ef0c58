import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorSignature } from '@hardfix/core';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';

// tsc's start-up is seconds of CPU on a loaded 2-core box: room for it in every verification.
const SLOW = { VERIFY_TIMEOUT_MS: '60000' };
const TEST_TIMEOUT_MS = 180_000;

describe('typescript end to end', () => {
  const startHarness = harnessPerTest();

  it(
    'request → one LLM call → type-checked and tested → delivered',
    async () => {
      const h = await startHarness(SLOW);
      const files = [
        { path: 'main.ts', content: "import { greet } from './greet.js';\nconsole.log(greet('ts'));\n" },
        {
          path: 'greet.ts',
          content: "export function greet(name: string): string {\n  return 'hello ' + name;\n}\n",
        },
        {
          path: 'greet.test.ts',
          content:
            "import test from 'node:test';\nimport assert from 'node:assert/strict';\nimport { greet } from './greet.js';\n\ntest('greets', () => assert.equal(greet('a'), 'hello a'));\n",
        },
      ];
      h.fake.enqueue('write_files', { tool: { files } });

      const res = await h.post('/projects', {
        name: 'greeter-ts',
        language: 'typescript',
        prompt: 'print a greeting',
      });
      expect(res.status).toBe(202);
      const id = res.body.id as string;
      const project = await h.waitForStatus(id, ['delivered', 'manual-review', 'abandoned']);
      expect(project.status).toBe('delivered');
      expect(project.language).toBe('typescript');
      expect(h.fake.requests).toHaveLength(1);
      // The generation prompt states the TypeScript rules and asks for *.test.ts tests.
      expect(h.fake.requests[0]?.userText ?? '').toMatch(/tsc --strict/);
      expect(project.attempts).toMatchObject([{ n: 1, stage: 'generation', outcome: 'passed' }]);

      const stored = await h.store.getFiles(id);
      expect(stored.lastVerification).toMatchObject({ ok: true, tests: { run: 1, passed: 1, failed: 0 } });
      expect(stored.lastVerification?.steps.map((s) => s.phase)).toEqual(['compile', 'test', 'run']);
      const dir = join(h.deliveryDir, 'greeter-ts');
      expect(await readFile(join(dir, 'greet.ts'), 'utf8')).toBe(files[1]?.content);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a type error plain JavaScript would run fails verification, is repaired in hard fix, and its fix is in the library',
    async () => {
      const h = await startHarness(SLOW);
      // As JavaScript this prints "total: 6": only the type-check sees the number returned as a string.
      const broken = [
        'export function label(n: number): string {',
        '  return n;',
        '}',
        '',
        "console.log('total: ' + label(6));",
        '',
      ].join('\n');
      h.fake.enqueue('replace_block', {
        // The block is the lines around the error: here the whole file.
        tool: { code: broken.replace('return n;', 'return String(n);').trimEnd() },
      });
      const id = await h.importProject('label-ts', 'typescript', [{ path: 'main.ts', content: broken }]);
      const project = await h.waitForStatus(id, ['delivered', 'manual-review', 'abandoned']);
      expect(project.status).toBe('delivered');
      expect(project.attempts).toMatchObject([
        { stage: 'import', outcome: 'failed', error: { type: 'TS2322' } },
        { stage: 'hard-fix', outcome: 'passed', fixSource: 'llm' },
      ]);
      expect(h.fake.callsFor('replace_block')).toHaveLength(1);
      // The hard-fix prompt showed the compiler's error, its code, and the numbered block around line 2.
      const prompt = h.fake.requests[0]?.userText ?? '';
      expect(prompt).toContain("Type 'number' is not assignable to type 'string'");
      expect(prompt).toContain('TS2322');
      expect(prompt).toMatch(/^\s*2 \|\s+return n;$/m);

      const repaired = (await h.store.getFiles(id)).files.find((f) => f.path === 'main.ts')?.content ?? '';
      expect(repaired).toContain('return String(n);');
      const signature = errorSignature({
        language: 'typescript',
        type: 'TS2322',
        message: "Type 'number' is not assignable to type 'string'",
      });
      const fix = await h.get(`/fixes/${signature}`);
      expect(fix.status).toBe(200);
      expect(fix.body).toMatchObject({
        language: 'typescript',
        success_count: 1,
        used_by_projects: ['label-ts'],
      });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a missing import learnt in one program is reused in another with zero LLM calls',
    async () => {
      const h = await startHarness(SLOW);
      h.fake.enqueue('replace_block', {
        tool: {
          code: "import { createHash } from 'node:crypto';\nconst digest = createHash('sha256').update('a').digest('hex');\nconsole.log(digest.length);",
        },
      });
      const first = await h.importProject('digest-ts', 'typescript', [
        {
          path: 'main.ts',
          content:
            "const digest = createHash('sha256').update('a').digest('hex');\nconsole.log(digest.length);\n",
        },
      ]);
      expect((await h.waitForStatus(first, ['delivered', 'manual-review'])).status).toBe('delivered');
      const calls = h.fake.requests.length;
      expect(calls).toBe(1);

      const other = [
        '// Fingerprints of records, for a cache key.',
        'interface Row {',
        '  id: number;',
        '  name: string;',
        '}',
        '',
        'export function fingerprint(row: Row): string {',
        "  return createHash('md5').update(row.id + ':' + row.name).digest('hex');",
        '}',
        '',
        "console.log(fingerprint({ id: 1, name: 'x' }).length);",
        '',
      ].join('\n');
      const second = await h.importProject(
        'rows-ts',
        'typescript',
        [{ path: 'src/rows.ts', content: other }],
        'src/rows.ts',
      );
      const p2 = await h.waitForStatus(second, ['delivered', 'manual-review']);
      expect(p2.status).toBe('delivered');
      expect(h.fake.requests.length).toBe(calls);
      expect(p2.attempts).toMatchObject([
        { stage: 'import', outcome: 'passed', fixSource: 'library', error: { type: 'TS2304' } },
      ]);
      const repaired = (await h.store.getFiles(second)).files[0]?.content ?? '';
      // The import went to the top of the module, above the interface, not into the function.
      expect(repaired.split('\n').slice(0, 2)).toEqual([
        '// Fingerprints of records, for a cache key.',
        "import { createHash } from 'node:crypto';",
      ]);
    },
    TEST_TIMEOUT_MS,
  );
});
