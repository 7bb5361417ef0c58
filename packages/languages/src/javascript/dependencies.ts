import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstallContext, LanguageDependencies } from '../dependencies/ecosystem.js';
import { MAX_DECLARED, MAX_MANIFEST_BYTES } from '../dependencies/ecosystem.js';
import { ManifestError } from '../dependencies/manifest-error.js';
import { probeUrl, runTool } from '../dependencies/run-tool.js';
import type { DeclaredPackage, RegistryCheck, ResolvedPackage } from '../dependencies/types.js';

// npm's own rules for a new package name (validate-npm-package-name), scope included.
const NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
/**
 * A version or range from the registry only: `file:`, `git+...`, `http(s):` and `npm:` aliases would
 * fetch from elsewhere, and git dependencies run their `prepare` script when packed.
 */
const SPEC = /^[0-9A-Za-z.*^~<>=|+\s-]{1,64}$/;
const EXACT = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

/**
 * `--ignore-scripts` keeps every lifecycle script (preinstall, install, postinstall, prepare) from
 * running; a private npm cache per run and an empty user config keep the host's .npmrc (another
 * registry, tokens) out.
 */
function npmArgs(ctx: InstallContext): string[] {
  return [
    'npm',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    '--omit=dev',
    '--registry',
    ctx.registry,
    '--cache',
    join(ctx.scratch, 'npm-cache'),
    '--userconfig',
    join(ctx.scratch, 'npmrc'),
    '--fetch-retries',
    '0',
    '--fetch-timeout',
    String(ctx.timeoutMs),
  ];
}

function npmEnv(ctx: InstallContext): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: ctx.scratch };
}

function manifestJson(declared: DeclaredPackage[]): string {
  const dependencies = Object.fromEntries(declared.map((d) => [d.name, d.version ?? d.range ?? '*']));
  return JSON.stringify({ name: 'hardfix-dependencies', version: '0.0.0', private: true, dependencies });
}

export const javascriptDependencies: LanguageDependencies = {
  ecosystem: 'npm',
  prompt: {
    what: 'Node.js built-in modules',
    how: 'declare each in package.json "dependencies" (name: version or range, from the registry only)',
  },
  manifest: 'package.json',
  registryVariable: 'NPM_CONFIG_REGISTRY',
  defaultRegistry: 'https://registry.npmjs.org/',

  parse(content) {
    if (Buffer.byteLength(content) > MAX_MANIFEST_BYTES)
      throw new ManifestError(`package.json is larger than ${MAX_MANIFEST_BYTES} bytes`);
    let doc: unknown;
    try {
      doc = JSON.parse(content);
    } catch (err) {
      throw new ManifestError(`package.json is not JSON: ${(err as Error).message}`);
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
      throw new ManifestError('package.json must be a JSON object');
    const deps = (doc as { dependencies?: unknown }).dependencies;
    if (deps === undefined) return [];
    if (typeof deps !== 'object' || deps === null || Array.isArray(deps))
      throw new ManifestError('package.json "dependencies" must be an object of name: version');
    const lines = content.split('\n');
    const declared = Object.entries(deps).map(([name, spec]): DeclaredPackage => {
      if (name.length > 214 || !NAME.test(name))
        throw new ManifestError(
          `package.json dependency ${JSON.stringify(name.slice(0, 80))} is not a package name`,
        );
      if (typeof spec !== 'string' || !SPEC.test(spec))
        throw new ManifestError(
          `package.json dependency ${name}: ${JSON.stringify(String(spec).slice(0, 80))} is not a version or range (registry packages only: no file:, git, URL or npm: aliases)`,
        );
      const line = lines.findIndex((l) => l.includes(JSON.stringify(name))) + 1;
      const version = spec.trim();
      if (EXACT.test(version)) return { name, line: line || 1, version };
      return { name, line: line || 1, ...(version !== '*' ? { range: version } : {}) };
    });
    if (declared.length > MAX_DECLARED)
      throw new ManifestError(
        `package.json declares ${declared.length} dependencies; at most ${MAX_DECLARED}`,
      );
    return declared;
  },

  normalize: (name) => name.toLowerCase(),

  addRequirements(content, lines) {
    let doc: Record<string, unknown> = { name: 'project', version: '1.0.0', private: true };
    if (content !== undefined && content.trim() !== '') {
      const parsed: unknown = JSON.parse(content);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
        doc = parsed as Record<string, unknown>;
    }
    const deps = { ...((doc.dependencies as Record<string, string> | undefined) ?? {}) };
    for (const line of lines) {
      // `name`, `name@range` or `name==version`; a scope's own @ is not a separator.
      const text = line.trim();
      const m = /^(@?[^@=\s]+)(?:(?:@|==)\s*(.+))?$/.exec(text);
      if (!m?.[1]) continue;
      deps[m[1]] = m[2]?.trim() || '*';
    }
    return `${JSON.stringify({ ...doc, dependencies: deps }, null, 2)}\n`;
  },

  async install(ctx, declared, dir) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(ctx.scratch, 'npmrc'), '');
    await writeFile(join(dir, 'package.json'), manifestJson(declared));
    // Resolves and installs in one run into the new entry, no lifecycle script run.
    return runTool([...npmArgs(ctx), 'install'], { cwd: dir, env: npmEnv(ctx), timeoutMs: ctx.timeoutMs });
  },

  async installed(dir) {
    const lock = await readFile(join(dir, 'package-lock.json'), 'utf8').catch(() => '{}');
    const packages: ResolvedPackage[] = [];
    const entries = (JSON.parse(lock) as { packages?: Record<string, { version?: string }> }).packages ?? {};
    for (const [path, entry] of Object.entries(entries)) {
      const at = path.lastIndexOf('node_modules/');
      if (at < 0 || !entry.version) continue;
      packages.push({ name: path.slice(at + 'node_modules/'.length), version: entry.version });
    }
    return packages;
  },

  async check(ctx, pkg): Promise<RegistryCheck> {
    const base = ctx.registry.endsWith('/') ? ctx.registry : `${ctx.registry}/`;
    const res = await probeUrl(`${base}${pkg.name.replace('/', '%2f')}`, ctx.timeoutMs);
    if (res.kind === 'unreachable') return { state: 'unreachable', detail: res.detail };
    if (res.status === 404) return { state: 'missing' };
    if (res.status >= 400) return { state: 'unreachable', detail: `HTTP ${res.status}` };
    if (pkg.version) {
      try {
        const versions = (JSON.parse(res.body) as { versions?: Record<string, unknown> }).versions ?? {};
        if (!(pkg.version in versions)) return { state: 'no-version' };
      } catch {
        return { state: 'unreachable', detail: 'the registry answered with something that is not JSON' };
      }
    }
    return { state: 'found' };
  },

  healthUrl: (registry) => registry,

  mount: (dir) => ({
    hostPath: dir,
    // NODE_PATH serves require(); the workspace's node_modules link serves ESM import, which ignores it.
    env: (visible) => ({ NODE_PATH: `${visible}/node_modules` }),
    links: [{ workspacePath: 'node_modules', target: 'node_modules' }],
  }),
};
