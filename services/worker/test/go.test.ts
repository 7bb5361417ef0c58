import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorSignature } from '@hardfix/core';
import { createSandbox } from '@hardfix/sandbox';
import { parseBlockCode } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';
import { until } from './worker-process.js';

// Go verifications build, vet and test with cold caches: slower than the other languages on a loaded box.
const SLOW = { timeout: 120_000 };
const GO_MOD = { path: 'go.mod', content: 'module wordcount\n\ngo 1.19\n' };

describe('go', () => {
  const harness = harnessPerTest();
  const startHarness = () => harness({ VERIFY_TIMEOUT_MS: '30000', RETRY_INTERVAL_MS: '50' });

  it('a go project goes request → one LLM call → verified with its tests → delivered', SLOW, async () => {
    const h = await startHarness();
    // No go.mod in the answer: generation adds one named after the project.
    const files = [
      {
        path: 'main.go',
        content:
          'package main\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\nfunc countWords(s string) int {\n\treturn len(strings.Fields(s))\n}\n\nfunc main() {\n\tfmt.Println(countWords("one two three"))\n}\n',
      },
      {
        path: 'main_test.go',
        content:
          'package main\n\nimport "testing"\n\nfunc TestCountWords(t *testing.T) {\n\tif got := countWords(" a  b "); got != 2 {\n\t\tt.Errorf("countWords = %d, want 2", got)\n\t}\n}\n\nfunc TestEmpty(t *testing.T) {\n\tif countWords("") != 0 {\n\t\tt.Fatal("empty text has words")\n\t}\n}\n',
      },
    ];
    h.fake.enqueue('write_files', { tool: { files } });
    const res = await h.post('/projects', { name: 'wordcount', language: 'go', prompt: 'count words' });
    expect(res.status).toBe(202);
    const project = await h.waitForStatus(res.body.id as string, ['delivered', 'manual-review', 'abandoned']);
    expect(project.status).toBe('delivered');
    expect(project.language).toBe('go');
    expect(h.fake.requests).toHaveLength(1);
    expect(project.attempts).toMatchObject([{ n: 1, stage: 'generation', outcome: 'passed' }]);
    const stored = await h.store.getFiles(project.id);
    expect(stored.lastVerification).toMatchObject({ ok: true, tests: { run: 2, passed: 2, failed: 0 } });
    // The prompt asked for Go's rules and Go's test files.
    expect(h.fake.requests[0]?.userText ?? '').toContain('_test.go');
    const dir = join(h.deliveryDir, 'wordcount');
    expect(await readFile(join(dir, 'main.go'), 'utf8')).toBe(files[0]?.content);
    expect(await readFile(join(dir, 'go.mod'), 'utf8')).toBe(GO_MOD.content);
  });

  it('a go compile error fixed in one program is reused for another with zero LLM calls', SLOW, async () => {
    // The model adds the import to the block it is shown: for `undefined: strings` that block starts at
    // the file's header (the go adapter's errors.fixInHeader), where go allows imports.
    const h = await harness(
      { VERIFY_TIMEOUT_MS: '30000', RETRY_INTERVAL_MS: '50' },
      {
        fake: {
          handler: (req) =>
            req.toolName === 'replace_block'
              ? {
                  tool: {
                    code: (parseBlockCode(req.userText) ?? '').replace('\t"fmt"', '\t"fmt"\n\t"strings"'),
                  },
                }
              : undefined,
        },
      },
    );
    const shout = [
      'package main',
      '',
      'import (',
      '\t"fmt"',
      ')',
      '',
      'func shout(s string) string {',
      '\treturn strings.ToUpper(s) + "!"',
      '}',
      '',
      'func main() {',
      '\tfmt.Println(shout("go"))',
      '}',
      '',
    ].join('\n');
    const first = await h.importProject('shout', 'go', [GO_MOD, { path: 'main.go', content: shout }]);
    expect((await h.waitForStatus(first, ['delivered', 'manual-review'])).status).toBe('delivered');
    expect(h.fake.requests).toHaveLength(1);
    const signature = errorSignature({ language: 'go', type: 'CompileError', message: 'undefined: strings' });
    expect((await h.get(`/fixes/${signature}`)).body).toMatchObject({
      pattern: { edits: [{ kind: 'import', line: '"strings"' }] },
    });

    // Another program: the mistake in another file with no imports of its own, at another line.
    const report = [
      'package main',
      '',
      '// rule draws a line as wide as the title.',
      'func rule(title string) string {',
      '\tif title == "" {',
      '\t\treturn ""',
      '\t}',
      '\treturn strings.Repeat("=", len(title))',
      '}',
      '',
    ].join('\n');
    const main = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(rule("report"))\n}\n';
    const second = await h.importProject('report', 'go', [
      { path: 'main.go', content: main },
      { path: 'rule.go', content: report },
    ]);
    const p2 = await h.waitForStatus(second, ['delivered', 'manual-review']);
    expect(p2.status).toBe('delivered');
    expect(h.fake.requests).toHaveLength(1);
    expect(p2.usage.calls).toBe(0);
    expect(p2.attempts).toMatchObject([
      { stage: 'import', n: 1, outcome: 'passed', fixSource: 'library', error: { type: 'CompileError' } },
    ]);
    const files = await h.store.getFiles(second);
    expect(files.files.find((f) => f.path === 'rule.go')?.content).toBe(
      report.replace('package main\n', 'package main\n\nimport "strings"\n'),
    );
    expect(files.lastVerification?.ok).toBe(true);
  });

  it('an unused import removed in one program is removed in another with zero LLM calls', SLOW, async () => {
    const h = await startHarness();
    const head = 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\n';
    const first = `${head}func main() {\n\tfmt.Println("one")\n}\n`;
    // The block the model is shown is lines 1-10; it drops the unused import.
    h.fake.enqueue('replace_block', {
      tool: { code: first.split('\n').slice(0, 10).join('\n').replace('\t"os"\n', '') },
    });
    const a = await h.importProject('unused-one', 'go', [GO_MOD, { path: 'main.go', content: first }]);
    expect((await h.waitForStatus(a, ['delivered', 'manual-review'])).status).toBe('delivered');
    expect(h.fake.requests).toHaveLength(1);

    const second = `${head}type point struct{ x, y int }\n\nfunc (p point) String() string {\n\treturn fmt.Sprintf("(%d, %d)", p.x, p.y)\n}\n\nfunc main() {\n\tfmt.Println(point{1, 2})\n}\n`;
    const b = await h.importProject('unused-two', 'go', [{ path: 'main.go', content: second }]);
    const p2 = await h.waitForStatus(b, ['delivered', 'manual-review']);
    expect(p2.status).toBe('delivered');
    expect(p2.usage.calls).toBe(0);
    expect(p2.attempts).toMatchObject([{ stage: 'import', outcome: 'passed', fixSource: 'library' }]);
    expect((await h.store.getFiles(b)).files[0]?.content).toBe(second.replace('\t"os"\n', ''));
  });

  it(
    'a missing go disables go only: /ready names it, /status shows it, a python project is still delivered',
    SLOW,
    async () => {
      const sandbox = await createSandbox({
        logger: { info() {}, warn() {}, error() {} },
        interpreters: { go: '/nonexistent/go' },
      });
      const h = await harness({}, { sandbox });
      const ready = await until('the self-test to pass', async () => {
        const r = await h.get('/ready');
        return r.status === 200 ? r : undefined;
      });
      expect(ready.body.warnings).toEqual([
        // `worker w: go disabled, <why>`: the reason names what is missing.
        expect.stringMatching(/^worker .+: go disabled, /),
      ]);
      const status = await h.get('/status');
      expect(status.body).toMatchObject({
        sandbox: {
          workers: [
            {
              state: 'ready',
              languages: { go: { installed: false }, python: { ok: true, installed: true } },
            },
          ],
        },
      });
      h.fake.enqueue('write_files', {
        tool: { files: [{ path: 'main.py', content: 'print("still here")\n' }] },
      });
      const res = await h.post('/projects', { name: 'still-python', language: 'python', prompt: 'print' });
      expect((await h.waitForStatus(res.body.id as string, ['delivered', 'manual-review'])).status).toBe(
        'delivered',
      );
    },
  );
});
