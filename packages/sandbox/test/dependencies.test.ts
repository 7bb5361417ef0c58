import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type NpmRegistry, type PythonIndex, startNpmRegistry, startPythonIndex } from '@hardfix/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDependencyInstaller,
  DependencyError,
  type DependencyInstaller,
  RegistryUnavailableError,
  type Sandbox,
} from '../src/index.js';
import { file, makeSandbox, silentLogger, VERIFY_TIMEOUT_MS } from './helpers.js';

let sandbox: Sandbox;
let index: PythonIndex;
let npm: NpmRegistry;
let scratch: string;
const sdistMarker = () => join(scratch, 'sdist-build-ran');
const postinstallMarker = () => join(scratch, 'postinstall-ran');

beforeAll(async () => {
  // Where the sandbox's users can reach the cache, as the service's default (beside the work root in
  // /var/tmp): a private TMPDIR (0700 parent) cannot be entered by them.
  scratch = await mkdtemp('/var/tmp/hardfix-deps-test-');
  await chmod(scratch, 0o755);
  sandbox = await makeSandbox();
  index = await startPythonIndex([
    // The module name differs from the distribution's, as PIL's does from Pillow's.
    {
      name: 'Pillow',
      version: '10.0.0',
      module: 'PIL',
      code: 'from tinydep import twice\ndef size():\n    return twice(21)\n',
      requires: ['tinydep'],
    },
    { name: 'tinydep', version: '1.0.0', code: 'def twice(x):\n    return 2 * x\n' },
    { name: 'yamlish', version: '2.0.0', module: 'yamlish' },
    { name: 'needsghost', version: '1.0.0', requires: ['ghostdep'] },
    { name: 'buildme', version: '1.0', sdistOnlyMarker: sdistMarker() },
  ]);
  npm = await startNpmRegistry([
    {
      name: 'leftpad',
      version: '1.2.0',
      code: "module.exports = (s, n) => String(s).padStart(n, '0');\n",
      dependencies: { scripty: '^1.0.0' },
    },
    { name: 'scripty', version: '1.0.0', postinstallMarker: postinstallMarker() },
    {
      name: 'typedpad',
      version: '2.0.0',
      code: "exports.pad = (s, n) => String(s).padStart(n, '0');\n",
      types: 'export declare function pad(s: string | number, n: number): string;\n',
    },
  ]);
});

afterAll(async () => {
  await index?.close();
  await npm?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function installer(
  extra: { allowlist?: string; enabled?: boolean; cacheDir?: string } = {},
): Promise<DependencyInstaller> {
  return createDependencyInstaller({
    enabled: extra.enabled ?? true,
    allowlist: extra.allowlist ?? '*',
    pipIndexUrl: index.indexUrl,
    npmRegistry: npm.url,
    cacheDir: extra.cacheDir ?? (await mkdtemp(join(scratch, 'cache-'))),
    cacheMaxBytes: 100 * 1024 * 1024,
    timeoutMs: 30_000,
    logger: silentLogger,
  });
}

const pythonProject = (requirements: string) => [
  file('requirements.txt', requirements),
  file('main.py', 'from PIL import size', 'print(size())'),
  file('test_main.py', 'from PIL import size', '', 'def test_size():', '    assert size() == 42'),
];

describe('declared dependencies', () => {
  it('installs a python set once and the sandbox imports it, by its module name, read-only', async () => {
    const deps = await installer();
    const files = pythonProject('Pillow');
    const first = await deps.prepare('python', files);
    expect(first.declared).toEqual(['Pillow']);
    expect(first.installed).toEqual([
      { name: 'Pillow', version: '10.0.0' },
      { name: 'tinydep', version: '1.0.0' },
    ]);
    const result = await sandbox.verify({
      language: 'python',
      files,
      timeoutMs: VERIFY_TIMEOUT_MS,
      ...(first.mount ? { dependencies: first.mount } : {}),
    });
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.tests?.passed).toBe(1);
    expect(result.steps.at(-1)?.stdout).toBe('42\n');

    // A second project with the same set (another spelling) is served from the cache, asking nothing.
    const asked = index.requests.length;
    const second = await deps.prepare('python', [
      ...pythonProject('pillow  # another spelling, one project'),
      file('extra.py', 'x = 1'),
    ]);
    expect(second.mount?.hostPath).toBe(first.mount?.hostPath);
    expect(index.requests.length).toBe(asked);
    expect(index.downloads('Pillow')).toBe(1);
    expect(index.downloads('tinydep')).toBe(1);
    expect((await deps.health()).cache).toMatchObject({ entries: 1, hits: 1, misses: 1 });

    // The set is read-only inside the sandbox.
    const write = await sandbox.verify({
      language: 'python',
      files: [file('main.py', 'import PIL, pathlib', 'pathlib.Path(PIL.__file__).write_text("x")')],
      timeoutMs: VERIFY_TIMEOUT_MS,
      ...(first.mount ? { dependencies: first.mount } : {}),
    });
    expect(write.ok).toBe(false);
    expect(write.error?.message).toMatch(/Read-only file system|Permission denied/);
  });

  it('without the set mounted the import fails as it would for any missing module', async () => {
    const result = await sandbox.verify({
      language: 'python',
      files: pythonProject('Pillow'),
      timeoutMs: VERIFY_TIMEOUT_MS,
    });
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('ModuleNotFoundError');
  });

  it('installs a javascript set without running install scripts; require and import both find it', async () => {
    const deps = await installer();
    const files = [
      file(
        'package.json',
        JSON.stringify({ name: 'p', version: '1.0.0', dependencies: { leftpad: '^1.0.0' } }),
      ),
      file('index.js', "const pad = require('leftpad');", 'console.log(pad(7, 3));'),
      file('esm.mjs', "import pad from 'leftpad';", 'export const padded = pad(1, 2);'),
      file(
        'index.test.js',
        "const test = require('node:test');",
        "const assert = require('node:assert');",
        "const pad = require('leftpad');",
        "test('pads', async () => { assert.strictEqual(pad(5, 2), '05'); assert.strictEqual((await import('./esm.mjs')).padded, '01'); });",
      ),
    ];
    const prepared = await deps.prepare('javascript', files);
    expect(prepared.installed).toEqual([
      { name: 'leftpad', version: '1.2.0' },
      { name: 'scripty', version: '1.0.0' },
    ]);
    const result = await sandbox.verify({
      language: 'javascript',
      files,
      timeoutMs: VERIFY_TIMEOUT_MS,
      ...(prepared.mount ? { dependencies: prepared.mount } : {}),
    });
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.steps.at(-1)?.stdout).toBe('007\n');
    expect(existsSync(postinstallMarker())).toBe(false);
    await deps.prepare('javascript', files);
    expect(npm.downloads('leftpad')).toBe(1);
    expect(npm.downloads('scripty')).toBe(1);
  });

  it('a typescript project declares npm packages in package.json: tsc type-checks against their declarations and the program runs with them', async () => {
    const deps = await installer();
    const manifest = file(
      'package.json',
      JSON.stringify({ name: 'p', version: '1.0.0', type: 'module', dependencies: { typedpad: '2.0.0' } }),
    );
    const files = [
      manifest,
      file(
        'main.ts',
        "import { pad } from 'typedpad';",
        'export const padded: string = pad(7, 3);',
        'console.log(padded);',
      ),
      file(
        'main.test.ts',
        "import test from 'node:test';",
        "import assert from 'node:assert';",
        "import { pad } from 'typedpad';",
        "test('pads', () => { assert.strictEqual(pad(5, 2), '05'); });",
      ),
    ];
    const prepared = await deps.prepare('typescript', files);
    expect(prepared.installed).toEqual([{ name: 'typedpad', version: '2.0.0' }]);
    const verify = (project: typeof files) =>
      sandbox.verify({
        language: 'typescript',
        files: project,
        timeoutMs: 4 * VERIFY_TIMEOUT_MS,
        ...(prepared.mount ? { dependencies: prepared.mount } : {}),
      });
    const result = await verify(files);
    expect(result.error).toBeUndefined();
    expect(result.tests).toMatchObject({ run: 1, passed: 1 });
    expect(result.steps.at(-1)?.stdout).toBe('007\n');
    // The declarations are checked: a wrong argument type is a type error, not a run.
    const wrong = await verify([
      manifest,
      file('main.ts', "import { pad } from 'typedpad';", "console.log(pad(7, 'x'));"),
    ]);
    expect(wrong.ok).toBe(false);
    expect(wrong.error?.type).toBe('TS2345');
  });

  it('refuses an sdist-only package as "no wheel" and never builds it', async () => {
    const deps = await installer();
    const err = await deps
      .prepare('python', [file('requirements.txt', 'tinydep', 'buildme'), file('main.py', 'pass')])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as DependencyError).message).toMatch(/"buildme" has no wheel/);
    expect((err as DependencyError).line).toBe(2);
    expect(existsSync(sdistMarker())).toBe(false);
  });

  it('names a package that does not exist, and one outside the allowlist', async () => {
    const deps = await installer({ allowlist: 'pillow, leftpad' });
    const missing = await (await installer())
      .prepare('python', [file('requirements.txt', 'nosuchthing'), file('main.py', 'pass')])
      .catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/"nosuchthing" does not exist/);
    const missingJs = await (await installer())
      .prepare('javascript', [
        file('package.json', '{"dependencies":{"nosuchjs":"1.0.0"}}'),
        file('index.js', ''),
      ])
      .catch((e: unknown) => e);
    expect((missingJs as Error).message).toMatch(/"nosuchjs" does not exist/);
    // A dependency of a declared package: named, and still the program's error.
    const transitive = await (await installer())
      .prepare('python', [file('requirements.txt', 'needsghost'), file('main.py', 'pass')])
      .catch((e: unknown) => e);
    expect(transitive).toBeInstanceOf(DependencyError);
    expect((transitive as Error).message).toMatch(/"ghostdep" \(a dependency of needsghost\) does not exist/);
    const refused = await deps
      .prepare('python', [file('requirements.txt', 'Pillow', 'yamlish'), file('main.py', 'pass')])
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DependencyError);
    expect((refused as Error).message).toMatch(/"yamlish" is not allowed/);
    // Refused before the registry is asked.
    expect(index.requests.some((r) => r.path.includes('yamlish'))).toBe(false);
    // A scoped entry allows its name in one ecosystem only: npm's leftpad, PyPI's yamlish.
    const scoped = await installer({ allowlist: 'npm:leftpad, pypi:yamlish' });
    const wrongScope = await scoped
      .prepare('python', [file('requirements.txt', 'leftpad'), file('main.py', 'pass')])
      .catch((e: unknown) => e);
    expect(wrongScope).toBeInstanceOf(DependencyError);
    expect((wrongScope as Error).message).toBe(
      'package "leftpad" is not allowed (DEPENDENCY_ALLOWLIST for pypi: yamlish)',
    );
    expect(index.requests.some((r) => r.path.includes('leftpad'))).toBe(false);
    const js = await scoped.prepare('javascript', [
      file('package.json', '{"dependencies":{"leftpad":"^1.0.0"}}'),
      file('index.js', ''),
    ]);
    // Installed, with what leftpad itself depends on (only declared names are checked).
    expect(js.installed.map((p) => p.name)).toContain('leftpad');
    const off = await (await installer({ enabled: false }))
      .prepare('python', [file('requirements.txt', 'Pillow'), file('main.py', 'pass')])
      .catch((e: unknown) => e);
    expect((off as Error).message).toMatch(/not allowed: DEPENDENCIES=off/);
  });

  it('a registry that does not answer is an infrastructure fault, and the same set installs once it is back', async () => {
    const deps = await installer();
    await index.stop();
    try {
      const err = await deps
        .prepare('python', [file('requirements.txt', 'yamlish'), file('main.py', 'pass')])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegistryUnavailableError);
      expect((err as Error).message).toContain(`PIP_INDEX_URL=${index.indexUrl}`);
      expect((await deps.health()).registries.pypi?.ok).toBe(false);
    } finally {
      await index.start();
    }
    const ok = await deps.prepare('python', [file('requirements.txt', 'yamlish'), file('main.py', 'pass')]);
    expect(ok.installed).toEqual([{ name: 'yamlish', version: '2.0.0' }]);
    expect((await deps.checkRegistries()).registries.pypi?.ok).toBe(true);
  });

  it('two workers installing the same set at once download it once', async () => {
    const cacheDir = await mkdtemp(join(scratch, 'shared-'));
    const a = await installer({ cacheDir });
    const b = await installer({ cacheDir });
    const before = npm.downloads('leftpad');
    const files = [file('package.json', '{"dependencies":{"leftpad":"1.2.0"}}'), file('index.js', '')];
    const [x, y] = await Promise.all([a.prepare('javascript', files), b.prepare('javascript', files)]);
    expect(x.mount?.hostPath).toBe(y.mount?.hostPath);
    expect(npm.downloads('leftpad') - before).toBe(1);
  });

  it('a registry that failed while pip ran but answers when asked why is still an outage, not the program', async () => {
    // Drops the first connection to the project page, then passes everything on to the index.
    let dropped = false;
    const flaky = createServer((req, res) => {
      if (!dropped && req.url?.startsWith('/simple/yamlish')) {
        dropped = true;
        req.socket.destroy();
        return;
      }
      void fetch(`${index.url}${req.url}`).then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/html' });
        res.end(Buffer.from(await r.arrayBuffer()));
      });
    });
    await new Promise<void>((ok) => flaky.listen(0, '127.0.0.1', ok));
    try {
      const { port } = flaky.address() as AddressInfo;
      const deps = createDependencyInstaller({
        enabled: true,
        allowlist: '*',
        pipIndexUrl: `http://127.0.0.1:${port}/simple/`,
        cacheDir: await mkdtemp(join(scratch, 'cache-')),
        cacheMaxBytes: 1_000_000,
        timeoutMs: 30_000,
        logger: silentLogger,
      });
      const err = await deps
        .prepare('python', [file('requirements.txt', 'yamlish'), file('main.py', 'pass')])
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegistryUnavailableError);
      const ok = await deps.prepare('python', [file('requirements.txt', 'yamlish'), file('main.py', 'pass')]);
      expect(ok.installed).toEqual([{ name: 'yamlish', version: '2.0.0' }]);
    } finally {
      flaky.close();
      flaky.closeAllConnections();
    }
  });
});
