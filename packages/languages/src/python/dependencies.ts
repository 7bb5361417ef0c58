import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstallContext, LanguageDependencies } from '../dependencies/ecosystem.js';
import { MAX_DECLARED, MAX_MANIFEST_BYTES } from '../dependencies/ecosystem.js';
import { ManifestError } from '../dependencies/manifest-error.js';
import { probeUrl, runTool, type ToolRun } from '../dependencies/run-tool.js';
import type { DeclaredPackage, RegistryCheck, ResolvedPackage } from '../dependencies/types.js';

// PEP 508 names; versions as PEP 440 spells them (loosely: the index decides whether one exists).
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.!+_-]{0,63}$/;

/** PEP 503 normalisation: `Pillow`, `pillow` and `PILLOW` are one project; so are `a_b` and `a-b`. */
export function normalizePython(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * `--isolated` and an empty config file: the host's pip.conf and PIP_* variables (an extra index, a
 * find-links directory) must not add sources the operator did not name in PIP_INDEX_URL.
 * `--only-binary=:all:` is what keeps package code from running: an sdist is built by running its
 * setup.py or build backend, a wheel is only unpacked.
 */
function pipArgs(ctx: InstallContext): string[] {
  return [
    ctx.python3,
    '-m',
    'pip',
    'install',
    '--isolated',
    '--disable-pip-version-check',
    '--no-input',
    '--no-cache-dir',
    '--root-user-action=ignore',
    '--only-binary=:all:',
    '--retries',
    '0',
    '--timeout',
    String(Math.max(1, Math.ceil(ctx.timeoutMs / 1000))),
    '--index-url',
    ctx.registry,
  ];
}

function pipEnv(): Record<string, string> {
  return { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', PIP_CONFIG_FILE: '/dev/null', HOME: '/nonexistent' };
}

export const pythonDependencies: LanguageDependencies = {
  ecosystem: 'pypi',
  prompt: {
    what: 'Python 3 standard library',
    how: 'declare each in requirements.txt (one `name` or `name==version` a line, the distribution name: Pillow for PIL, PyYAML for yaml); only packages published as wheels install',
  },
  manifest: 'requirements.txt',
  registryVariable: 'PIP_INDEX_URL',
  defaultRegistry: 'https://pypi.org/simple/',

  parse(content) {
    if (Buffer.byteLength(content) > MAX_MANIFEST_BYTES)
      throw new ManifestError(`requirements.txt is larger than ${MAX_MANIFEST_BYTES} bytes`);
    const declared: DeclaredPackage[] = [];
    const seen = new Set<string>();
    content.split('\n').forEach((raw, i) => {
      const text = raw.replace(/#.*/, '').trim();
      if (!text) return;
      const m = /^([^=\s]+)\s*(?:==\s*(\S+))?$/.exec(text);
      const name = m?.[1];
      if (!m || !name || !NAME.test(name))
        throw new ManifestError(
          `requirements.txt line ${i + 1}: ${JSON.stringify(text.slice(0, 80))} is not a package name or name==version (one a line; no options, URLs, extras or ranges)`,
        );
      const version = m[2];
      if (version !== undefined && !VERSION.test(version))
        throw new ManifestError(
          `requirements.txt line ${i + 1}: ${JSON.stringify(version.slice(0, 80))} is not a version`,
        );
      const key = normalizePython(name);
      if (seen.has(key)) throw new ManifestError(`requirements.txt line ${i + 1}: ${name} is declared twice`);
      seen.add(key);
      declared.push({ name, line: i + 1, ...(version ? { version } : {}) });
    });
    if (declared.length > MAX_DECLARED)
      throw new ManifestError(
        `requirements.txt declares ${declared.length} packages; at most ${MAX_DECLARED}`,
      );
    return declared;
  },

  normalize: normalizePython,

  addRequirements(content, lines) {
    const kept = (content ?? '').split('\n').filter((l) => l.trim() !== '');
    for (const line of lines) {
      const name = normalizePython(line.split('==')[0]?.trim() ?? '');
      const at = kept.findIndex(
        (l) => normalizePython(l.replace(/#.*/, '').split('==')[0]?.trim() ?? '') === name,
      );
      if (at >= 0) kept[at] = line.trim();
      else kept.push(line.trim());
    }
    return `${kept.join('\n')}\n`;
  },

  async install(ctx, declared, dir) {
    const req = join(ctx.scratch, 'requirements.txt');
    const spelled = new Map<string, string>();
    let run: ToolRun = { code: null, stdout: '', stderr: '', timedOut: false };
    // pip 23.0 (Debian 12's) compares a requested name with the metadata's without normalising it
    // ("inconsistent Name: expected 'pillow', but metadata has 'Pillow'"): ask again as the index spells it.
    for (let pass = 0; pass < 3; pass++) {
      const lines = declared.map((d) => {
        const name = spelled.get(normalizePython(d.name)) ?? d.name;
        return d.version ? `${name}==${d.version}` : name;
      });
      await writeFile(req, lines.join('\n'));
      // Resolves and installs in one run (dependencies included), wheels only, into the new entry.
      run = await runTool([...pipArgs(ctx), '--target', join(dir, 'python'), '-r', req], {
        cwd: ctx.scratch,
        env: pipEnv(),
        timeoutMs: ctx.timeoutMs,
      });
      if (run.code === 0 && !run.timedOut) return run;
      const renames = [
        ...run.stdout.matchAll(/inconsistent Name: expected '([^']+)', but metadata has '([^']+)'/g),
      ];
      if (renames.length === 0) return run;
      for (const m of renames) if (m[1] && m[2]) spelled.set(normalizePython(m[1]), m[2]);
    }
    return run;
  },

  async installed(dir) {
    const root = join(dir, 'python');
    const infos = (await readdir(root).catch(() => [] as string[])).filter((n) => n.endsWith('.dist-info'));
    const packages: ResolvedPackage[] = [];
    for (const info of infos) {
      const meta = await readFile(join(root, info, 'METADATA'), 'utf8').catch(() => '');
      const name = /^Name:\s*(.+)$/m.exec(meta)?.[1]?.trim();
      const version = /^Version:\s*(.+)$/m.exec(meta)?.[1]?.trim();
      if (name && version) packages.push({ name, version });
    }
    return packages;
  },

  async check(ctx, pkg): Promise<RegistryCheck> {
    const base = ctx.registry.endsWith('/') ? ctx.registry : `${ctx.registry}/`;
    const res = await probeUrl(`${base}${normalizePython(pkg.name)}/`, ctx.timeoutMs);
    if (res.kind === 'unreachable') return { state: 'unreachable', detail: res.detail };
    if (res.status === 404) return { state: 'missing' };
    if (res.status >= 400) return { state: 'unreachable', detail: `HTTP ${res.status}` };
    const files = [...res.body.matchAll(/>([^<>]+)<\/a>/g)].map((m) => m[1]?.trim() ?? '');
    const wheels = files.filter((f) => f.endsWith('.whl'));
    if (wheels.length === 0) return { state: files.length === 0 ? 'missing' : 'no-wheel' };
    if (pkg.version) {
      const tag = `-${pkg.version}-`;
      if (!files.some((f) => f.includes(tag) || f.includes(`-${pkg.version}.tar`)))
        return { state: 'no-version' };
      if (!wheels.some((f) => f.includes(tag))) return { state: 'no-wheel' };
    }
    return { state: 'found' };
  },

  healthUrl: (registry) => registry,

  mount: (dir) => ({
    hostPath: dir,
    env: (visible) => ({ PYTHONPATH: `${visible}/python`, PYTHONDONTWRITEBYTECODE: '1' }),
  }),
};
