import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { QUEUES } from '@hardfix/contracts';
import {
  type FakeAnthropicOptions,
  type NpmRegistry,
  type PythonIndex,
  parseBlockCode,
  startNpmRegistry,
  startPythonIndex,
  writeFilesAnswer,
} from '@hardfix/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, type Harness, startHarness } from './harness.js';
import { until } from './worker-process.js';

let index: PythonIndex;
let npm: NpmRegistry;
let scratch: string;
let h: Harness | undefined;

beforeAll(async () => {
  // Where the sandbox's users can reach the caches below it, like the service's default (/var/tmp):
  // not under a private TMPDIR.
  scratch = await mkdtemp('/var/tmp/hardfix-worker-deps-');
  await chmod(scratch, 0o755);
  index = await startPythonIndex([
    { name: 'Pillow', version: '10.0.0', module: 'PIL', code: 'def area(w, h):\n    return w * h\n' },
    { name: 'yamlish', version: '1.0.0' },
    { name: 'buildme', version: '1.0', sdistOnlyMarker: join(scratch, 'sdist-ran') },
  ]);
  npm = await startNpmRegistry([
    {
      name: 'leftpad',
      version: '1.2.0',
      code: "module.exports = (s, n) => String(s).padStart(n, '0');\n",
      dependencies: { scripty: '1.0.0' },
    },
    { name: 'scripty', version: '1.0.0', postinstallMarker: join(scratch, 'postinstall-ran') },
  ]);
});
afterAll(async () => {
  await index?.close();
  await npm?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(
  overrides: Record<string, string> = {},
  fake?: Omit<FakeAnthropicOptions, 'apiKey'>,
): Promise<Harness> {
  const cache = await mkdtemp(join(scratch, 'cache-'));
  h = await startHarness(
    {
      PIP_INDEX_URL: index.indexUrl,
      NPM_CONFIG_REGISTRY: npm.url,
      DEPENDENCY_CACHE_DIR: cache,
      DEPENDENCY_INSTALL_TIMEOUT_MS: '20000',
      ...overrides,
    },
    fake ? { fake } : {},
  );
  return h;
}

const file = (path: string, ...lines: string[]) => ({ path, content: `${lines.join('\n')}\n` });
const PY_PROGRAM = [
  file('requirements.txt', 'Pillow'),
  file('main.py', 'from PIL import area', 'print(area(6, 7))'),
  file('test_main.py', 'from PIL import area', '', 'def test_area():', '    assert area(6, 7) == 42'),
];

describe('declared dependencies through the service', () => {
  it('delivers python and javascript projects whose tests import their packages; the same set downloads once', async () => {
    const s = await harness();
    s.fake.enqueue('write_files', writeFilesAnswer(PY_PROGRAM), writeFilesAnswer(PY_PROGRAM));
    const first = (await s.post('/projects', { name: 'img-1', language: 'python', prompt: 'area' })).body
      .id as string;
    const one = await s.waitForStatus(first, ['delivered', 'manual-review']);
    expect(one.status).toBe('delivered');
    expect(one.attempts[0]?.tests?.passed).toBe(1);
    const view = await s.get(`/projects/${first}`);
    expect(view.body.dependencies).toEqual({
      declared: ['Pillow'],
      installed: [{ name: 'Pillow', version: '10.0.0' }],
    });
    // The delivered project keeps its manifest.
    expect(await readFile(join(String(one.delivery?.path), 'requirements.txt'), 'utf8')).toBe('Pillow\n');

    const second = (await s.post('/projects', { name: 'img-2', language: 'python', prompt: 'area' })).body
      .id as string;
    expect((await s.waitForStatus(second, ['delivered', 'manual-review'])).status).toBe('delivered');
    expect(index.downloads('Pillow')).toBe(1);
    // /status shows the cache (entries, size, hit rate) and the registries; /metrics the same.
    const shown = await until('/status to show the cache', async () => {
      const workers = (
        (await s.get('/status')).body.sandbox as { workers: { dependencies?: { cache: { hits: number } } }[] }
      ).workers;
      const deps = workers[0]?.dependencies;
      return deps && deps.cache.hits >= 1 ? deps : undefined;
    });
    expect(shown).toMatchObject({
      enabled: true,
      allowlist: '*',
      registries: { pypi: { variable: 'PIP_INDEX_URL', url: index.indexUrl, ok: true } },
      cache: { entries: 1, hits: 1, misses: 1, hitRate: 0.5 },
    });
    const metrics = await (
      await fetch(`${s.api.url}/metrics`, { headers: { authorization: `Bearer ${API_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(/hardfix_dependency_cache_entries\{worker="[^"]+"\} 1/);
    expect(metrics).toMatch(/hardfix_dependency_registry_up\{registry="pypi"\} 1/);

    s.fake.enqueue(
      'write_files',
      writeFilesAnswer([
        file(
          'package.json',
          JSON.stringify({ name: 'pad', version: '1.0.0', dependencies: { leftpad: '1.2.0' } }),
        ),
        file('index.js', "const pad = require('leftpad');", 'console.log(pad(7, 3));'),
        file(
          'index.test.js',
          "const test = require('node:test');",
          "const assert = require('node:assert');",
          "const pad = require('leftpad');",
          "test('pads', () => assert.strictEqual(pad(5, 2), '05'));",
        ),
      ]),
    );
    const js = (await s.post('/projects', { name: 'pad', language: 'javascript', prompt: 'pad' })).body
      .id as string;
    const padded = await s.waitForStatus(js, ['delivered', 'manual-review']);
    expect(padded.status).toBe('delivered');
    expect(padded.attempts[0]?.tests?.passed).toBe(1);
    expect(existsSync(join(scratch, 'postinstall-ran'))).toBe(false);
  });

  it('a package outside DEPENDENCY_ALLOWLIST, or with no wheel, fails the attempt and the next prompt names it', async () => {
    const s = await harness({ DEPENDENCY_ALLOWLIST: 'pillow,buildme', NORMAL_RETRIES: '2' });
    s.fake.enqueue(
      'write_files',
      writeFilesAnswer([file('requirements.txt', 'Pillow', 'yamlish'), ...PY_PROGRAM.slice(1)]),
      writeFilesAnswer([file('requirements.txt', 'Pillow', 'buildme'), ...PY_PROGRAM.slice(1)]),
    );
    s.fake.enqueue('report_analysis', {
      tool: { confidence: 0.1, diagnosis: 'bad package', plan: 'drop it' },
    });
    // The hard fix is shown the manifest's failing line and replaces it.
    s.fake.enqueue('replace_block', { tool: { code: 'Pillow' } });
    const id = (await s.post('/projects', { name: 'refused', language: 'python', prompt: 'area' })).body
      .id as string;
    const done = await s.waitForStatus(id, ['delivered', 'manual-review']);
    expect(done.attempts.map((a) => [a.stage, a.outcome, a.error?.type])).toEqual([
      ['generation', 'failed', 'DependencyError'],
      ['generation', 'failed', 'DependencyError'],
      ['hard-fix', 'passed', undefined],
    ]);
    expect(done.attempts[0]?.error?.message).toMatch(/package "yamlish" is not allowed/);
    expect(done.attempts[1]?.error?.message).toMatch(/package "buildme" has no wheel/);
    const analysis = s.fake.callsFor('report_analysis')[0]?.userText ?? '';
    expect(analysis).toMatch(/package "yamlish" is not allowed/);
    expect(analysis).toMatch(/package "buildme" has no wheel/);
    expect(s.fake.callsFor('replace_block')[0]?.userText).toMatch(/package "buildme" has no wheel/);
    expect(existsSync(join(scratch, 'sdist-ran'))).toBe(false);
  });

  it('with the registry stopped the project waits: no attempt, no second LLM call; delivered once it is back', async () => {
    const s = await harness();
    s.fake.enqueue(
      'write_files',
      writeFilesAnswer([
        file('requirements.txt', 'yamlish'),
        file('main.py', 'import yamlish', 'print(yamlish.__version__)'),
      ]),
    );
    await index.stop();
    let id: string;
    try {
      id = (await s.post('/projects', { name: 'outage', language: 'python', prompt: 'p' })).body.id as string;
      const parked = await until('the project to park', async () => {
        const p = await s.store.get(id);
        return p?.parked ? p : undefined;
      });
      expect(parked.parked?.reason).toContain(`PIP_INDEX_URL=${index.indexUrl}`);
      expect(parked.attempts).toEqual([]);
      const view = await s.get(`/projects/${id}`);
      expect(view.body.parked).toMatchObject({ reason: expect.stringMatching(/registry .* is unreachable/) });
      // Re-checked twice more while the registry stays down (the parked job's deferrals), and still
      // no attempt used and no second call.
      await until('two re-checks after parking', async () =>
        ((await s.jobData(QUEUES.generation, id, 1))?.deferrals ?? 0) >= 3 ? true : undefined,
      );
      expect((await s.store.mustGet(id)).attempts).toEqual([]);
      expect(s.fake.callsFor('write_files')).toHaveLength(1);
      const warning = await until('/ready to warn about the registry', async () => {
        const ready = await s.get('/ready');
        return (ready.body.warnings as string[] | undefined)?.find((w) => w.includes('PIP_INDEX_URL'));
      });
      expect(warning).toMatch(/^package registry PIP_INDEX_URL=\S+ unreachable from worker/);
    } finally {
      await index.start();
    }
    const delivered = await s.waitForStatus(id, ['delivered', 'manual-review']);
    expect(delivered.status).toBe('delivered');
    expect(delivered.parked).toBeUndefined();
    expect(delivered.attempts.map((a) => [a.stage, a.n, a.outcome, a.error?.message])).toEqual([
      ['generation', 1, 'passed', undefined],
    ]);
    expect(s.fake.callsFor('write_files')).toHaveLength(1);
  });

  it('"No module named PIL" fixed by declaring Pillow is reused for a second project with zero LLM calls', async () => {
    // The model declares the distribution and leaves the block as it is.
    const s = await harness(
      { HARD_FIX_MAX_ATTEMPTS: '2' },
      {
        handler: (req) =>
          req.toolName === 'replace_block'
            ? { tool: { code: parseBlockCode(req.userText) ?? '', dependencies: ['Pillow'] } }
            : undefined,
      },
    );
    const first = await s.importProject('resizer-1', 'python', [
      file('main.py', 'from PIL import area', '', 'print(area(6, 7))'),
      file('test_main.py', 'from main import area', '', 'def test_area():', '    assert area(2, 3) == 6'),
    ]);
    const one = await s.waitForStatus(first, ['delivered', 'manual-review']);
    expect(one.status).toBe('delivered');
    expect(one.attempts.map((a) => [a.stage, a.outcome, a.fixSource])).toEqual([
      ['import', 'failed', undefined],
      ['hard-fix', 'passed', 'llm'],
    ]);
    expect(one.attempts[0]?.error?.message).toMatch(/No module named 'PIL'/);
    const fixPrompt = s.fake.callsFor('replace_block')[0];
    expect(fixPrompt?.system).toMatch(/PIL -> Pillow/);
    expect(fixPrompt?.userText).toMatch(/Third-party packages may be used/);
    const [fix] = await s.worker.deps.library.lookupCandidates({
      language: 'python',
      type: 'ModuleNotFoundError',
      message: "No module named 'PIL'",
    });
    expect(fix?.dependencies).toEqual(['Pillow']);
    const calls = s.fake.requests.length;

    // Another program, another file, the same missing module at module scope.
    const second = await s.importProject('thumbnailer-2', 'python', [
      file(
        'app.py',
        'import sys',
        'from PIL import area',
        '',
        'def thumb(n):',
        '    return area(n, n)',
        '',
        'if __name__ == "__main__":',
        '    print(thumb(3))',
      ),
      file('main.py', 'from app import thumb', 'print(thumb(4))'),
      file('test_app.py', 'from app import thumb', '', 'def test_thumb():', '    assert thumb(5) == 25'),
    ]);
    const two = await s.waitForStatus(second, ['delivered', 'manual-review']);
    expect(two.status).toBe('delivered');
    expect(two.attempts.at(-1)).toMatchObject({ outcome: 'passed', fixSource: 'library' });
    expect(s.fake.requests.length).toBe(calls);
    const files = (await s.get(`/projects/${second}/files`)).body as {
      files: { path: string; content: string }[];
    };
    expect(files.files.find((f) => f.path === 'requirements.txt')?.content).toBe('Pillow\n');
    expect((await s.get(`/projects/${second}`)).body.dependencies).toEqual({
      declared: ['Pillow'],
      installed: [{ name: 'Pillow', version: '10.0.0' }],
    });
  });

  it('"Cannot find module" in javascript: declared in a new package.json, then reused with zero LLM calls', async () => {
    const s = await harness(
      { HARD_FIX_MAX_ATTEMPTS: '2' },
      {
        handler: (req) =>
          req.toolName === 'replace_block'
            ? { tool: { code: parseBlockCode(req.userText) ?? '', dependencies: ['leftpad@^1.2.0'] } }
            : undefined,
      },
    );
    const first = await s.importProject('pad-1', 'javascript', [
      file('index.js', "const pad = require('leftpad');", '', 'console.log(pad(7, 3));'),
    ]);
    const one = await s.waitForStatus(first, ['delivered', 'manual-review']);
    expect(one.attempts.map((a) => [a.stage, a.outcome, a.error?.message.split('\n')[0]])).toEqual([
      ['import', 'failed', "Cannot find module 'leftpad'"],
      ['hard-fix', 'passed', undefined],
    ]);
    const calls = s.fake.requests.length;
    const second = await s.importProject('pad-2', 'javascript', [
      file(
        'main.js',
        "'use strict';",
        "const leftPad = require('leftpad');",
        'const rows = [1, 22].map((n) => leftPad(n, 4));',
        'console.log(rows.join(" "));',
      ),
    ]);
    const two = await s.waitForStatus(second, ['delivered', 'manual-review']);
    expect(two.status).toBe('delivered');
    expect(two.attempts.at(-1)).toMatchObject({ outcome: 'passed', fixSource: 'library' });
    expect(s.fake.requests.length).toBe(calls);
    const files = (await s.get(`/projects/${second}/files`)).body as {
      files: { path: string; content: string }[];
    };
    const manifest = JSON.parse(files.files.find((f) => f.path === 'package.json')?.content ?? '{}');
    expect(manifest.dependencies).toEqual({ leftpad: '^1.2.0' });
    expect(existsSync(join(scratch, 'postinstall-ran'))).toBe(false);
  });
});
