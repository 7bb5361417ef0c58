import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Language } from '@hardfix/contracts';
import {
  type DeclaredPackage,
  type DependencyMount,
  type InstallContext,
  type LanguageDependencies,
  probeUrl,
  type ResolvedPackage,
  type ToolRun,
} from '@hardfix/languages';
import type { Logger } from '../logger.js';
import { Allowlist } from './allowlist.js';
import { type CacheStats, DependencyCache, directoryBytes } from './cache.js';
import { DependencyError, ManifestError, RegistryUnavailableError } from './errors.js';
import { dependenciesOf, ecosystems } from './manifest.js';

export interface DependencyInstallerOptions {
  /** DEPENDENCIES=off: the standard library only; a declared package is refused as not allowed. */
  enabled: boolean;
  /** DEPENDENCY_ALLOWLIST: `*` or a comma list. */
  allowlist: string;
  /** PIP_INDEX_URL; unset: pip's default. */
  pipIndexUrl?: string;
  /** NPM_CONFIG_REGISTRY; unset: npm's default. */
  npmRegistry?: string;
  cacheDir: string;
  cacheMaxBytes: number;
  /** Largest installed set. @defaultValue 512 MiB */
  maxSetBytes?: number;
  /** Time limit of one resolve or install (a registry slower than this counts as down). @defaultValue 120 s */
  timeoutMs?: number;
  /**
   * How long the same declared list reuses its installed set without asking the registry (an unpinned
   * name then gets a newer release at most this late). @defaultValue 24 h
   */
  resolveTtlMs?: number;
  /** The sandbox's python, which pip runs as (wheels must fit it). @defaultValue /usr/bin/python3 */
  python3?: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** What a verification needs: the mount, and what GET /projects/:id shows. */
export interface PreparedDependencies {
  declared: string[];
  installed: ResolvedPackage[];
  mount?: DependencyMount;
}

export interface RegistryHealth {
  variable: string;
  url: string;
  ok: boolean | null;
  checkedAt: string | null;
  detail?: string;
}

export interface DependencyHealth {
  enabled: boolean;
  allowlist: string[] | '*';
  /** By package ecosystem (`pypi`, `npm`): languages that share one share its registry. */
  registries: Record<string, RegistryHealth>;
  cache: CacheStats;
}

export interface DependencyInstaller {
  /**
   * Installs (or finds in the cache) what the project's manifest declares. Throws DependencyError for
   * the program's mistake and RegistryUnavailableError for an infrastructure fault.
   */
  prepare(
    language: Language,
    files: readonly { path: string; content: string }[],
  ): Promise<PreparedDependencies>;
  /** Asks each configured registry whether it answers, now; the result stays in `health()`. */
  checkRegistries(): Promise<DependencyHealth>;
  health(): Promise<DependencyHealth>;
  readonly allowlist: Allowlist;
  readonly enabled: boolean;
}

/** What pip and npm print when they could not reach the registry (as opposed to what they found there). */
const NETWORK_FAILURE =
  /NewConnectionError|Failed to establish a new connection|RemoteDisconnected|Connection aborted|ProtocolError|Connection refused|ConnectTimeout|ReadTimeout|timed out|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|network request to [^ ]+ failed/i;

const WORDS = { missing: 'does not exist', 'no-wheel': 'no wheel', 'no-version': 'does not exist' } as const;

export function createDependencyInstaller(opts: DependencyInstallerOptions): DependencyInstaller {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const maxSetBytes = opts.maxSetBytes ?? 512 * 1024 * 1024;
  const resolveTtlMs = opts.resolveTtlMs ?? 24 * 60 * 60_000;
  const all = ecosystems();
  const allowlist = new Allowlist(opts.allowlist, all);
  const cache = new DependencyCache({ root: opts.cacheDir, maxBytes: opts.cacheMaxBytes });
  // The operator's setting for an ecosystem, by the variable its tool reads.
  const configuredOf = (lang: LanguageDependencies): string | undefined =>
    ({ PIP_INDEX_URL: opts.pipIndexUrl, NPM_CONFIG_REGISTRY: opts.npmRegistry })[lang.registryVariable];
  const registryOf = (lang: LanguageDependencies) => configuredOf(lang) ?? lang.defaultRegistry;
  const registries: DependencyHealth['registries'] = Object.fromEntries(
    all.map((e) => [
      e.ecosystem,
      { variable: e.registryVariable, url: registryOf(e), ok: null, checkedAt: null },
    ]),
  );
  const note = (lang: LanguageDependencies, ok: boolean, detail?: string) => {
    const was = registries[lang.ecosystem];
    if (!was) return;
    const now: RegistryHealth = {
      ...was,
      ok,
      checkedAt: new Date().toISOString(),
      ...(detail ? { detail } : {}),
    };
    if (ok) delete now.detail;
    registries[lang.ecosystem] = now;
  };

  const withScratch = async <T>(fn: (scratch: string) => Promise<T>): Promise<T> => {
    const scratch = await mkdtemp(join(tmpdir(), 'hardfix-deps-'));
    try {
      return await fn(scratch);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  };

  /** Why pip or npm failed, in the service's own words: pip's "no matching distribution" covers all three. */
  const diagnose = async (
    lang: LanguageDependencies,
    ctx: InstallContext,
    declared: DeclaredPackage[],
    run: ToolRun,
  ): Promise<never> => {
    for (const pkg of declared) {
      const check = await lang.check(ctx, pkg);
      if (check.state === 'unreachable') {
        note(lang, false, check.detail);
        throw new RegistryUnavailableError(
          `${lang.registryVariable}=${ctx.registry}`,
          check.detail ?? 'no answer',
        );
      }
      if (check.state === 'found') continue;
      const what = check.state === 'no-version' ? `${pkg.name}==${pkg.version}` : pkg.name;
      const why =
        check.state === 'no-wheel'
          ? `package "${what}" has no wheel on ${ctx.registry} (only a source distribution, whose build would run its code; the service installs wheels only)`
          : check.state === 'no-version'
            ? `package "${what}" does not exist on ${ctx.registry} (no such version)`
            : `package "${pkg.name}" does not exist on ${ctx.registry}`;
      throw new DependencyError(pkg.name, WORDS[check.state], why, lang.manifest, pkg.line);
    }
    if (run.timedOut) {
      note(lang, false, `no answer within ${timeoutMs} ms`);
      throw new RegistryUnavailableError(
        `${lang.registryVariable}=${ctx.registry}`,
        `timed out after ${timeoutMs} ms`,
      );
    }
    // The registry answers now but did not while the tool ran (it came back in between): an outage
    // still, so the job is retried rather than the attempt spent.
    const output = `${run.stderr}\n${run.stdout}`;
    const network = NETWORK_FAILURE.exec(output)?.[0];
    if (network) {
      note(lang, false, network);
      throw new RegistryUnavailableError(`${lang.registryVariable}=${ctx.registry}`, network);
    }
    // pip logs a page it could not fetch only at debug level and then reports the project as having no
    // versions. Asked now, the index either lists it (so pip did not get the page: an outage) or does
    // not (a dependency of a declared package that does not exist or has no wheel: the program's).
    for (const m of output.matchAll(
      /satisfies the requirement ([A-Za-z0-9._-]+)[^\n]*\(from versions: none\)/g,
    )) {
      const name = m[1] ?? '';
      const check = await lang.check(ctx, { name, line: 0 });
      if (check.state === 'found' || check.state === 'unreachable') {
        const detail = check.detail ?? `the index did not answer pip for ${name} (it lists it now)`;
        note(lang, false, detail);
        throw new RegistryUnavailableError(`${lang.registryVariable}=${ctx.registry}`, detail);
      }
      throw new DependencyError(
        name,
        check.state === 'no-wheel' ? 'no wheel' : 'does not exist',
        `package "${name}" (a dependency of ${declared.map((d) => d.name).join(', ')}) ${check.state === 'no-wheel' ? 'has no wheel' : 'does not exist'} on ${ctx.registry}`,
        lang.manifest,
      );
    }
    note(lang, true);
    // Every declared package exists with a wheel: a dependency of one of them failed.
    const line =
      `${run.stderr}\n${run.stdout}`
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^(ERROR|npm (ERR|error))/.test(l))
        .slice(-2)
        .join(' ') || `exit status ${run.code}`;
    throw new DependencyError(
      declared.map((d) => d.name).join(', '),
      'install failed',
      `the declared packages could not be installed: ${line.slice(0, 500)}`,
      lang.manifest,
    );
  };

  const prepare = async (
    language: Language,
    files: readonly { path: string; content: string }[],
  ): Promise<PreparedDependencies> => {
    const lang = dependenciesOf(language);
    const manifest = lang && files.find((f) => f.path === lang.manifest);
    if (!lang || !manifest) return { declared: [], installed: [] };
    let declared: DeclaredPackage[];
    try {
      declared = lang.parse(manifest.content);
    } catch (err) {
      if (!(err instanceof ManifestError)) throw err;
      throw new DependencyError('', 'invalid manifest', err.message, lang.manifest);
    }
    if (declared.length === 0) return { declared: [], installed: [] };
    const names = declared.map((d) => (d.version ? `${d.name}==${d.version}` : d.name));
    for (const pkg of declared) {
      if (!opts.enabled)
        throw new DependencyError(
          pkg.name,
          'not allowed',
          `package "${pkg.name}" is not allowed: DEPENDENCIES=off, the standard library only`,
          lang.manifest,
          pkg.line,
        );
      if (!allowlist.allows(pkg.name, lang.ecosystem))
        throw new DependencyError(
          pkg.name,
          'not allowed',
          `package "${pkg.name}" is not allowed (DEPENDENCY_ALLOWLIST for ${lang.ecosystem}: ${allowlist.listedFor(lang.ecosystem).join(', ') || 'none'})`,
          lang.manifest,
          pkg.line,
        );
    }
    const registry = registryOf(lang);
    const python3 = opts.python3 ?? '/usr/bin/python3';
    const listKey = createHash('sha256')
      .update(
        `${language}\n${registry}\n${python3}\n${declared
          .map((d) => `${lang.normalize(d.name)}@${d.version ?? d.range ?? '*'}`)
          .sort()
          .join('\n')}`,
      )
      .digest('hex')
      .slice(0, 32);
    const { dir, installed } = await cache.ensure(listKey, resolveTtlMs, (target) =>
      withScratch(async (scratch) => {
        const ctx: InstallContext = { registry, timeoutMs, scratch, python3 };
        const run = await lang.install(ctx, declared, target);
        if (run.code !== 0 || run.timedOut) await diagnose(lang, ctx, declared, run);
        note(lang, true);
        const bytes = await directoryBytes(target);
        if (bytes > maxSetBytes)
          throw new DependencyError(
            names.join(', '),
            'too large',
            `the declared packages take ${Math.round(bytes / 1048576)} MiB installed; the limit is ${Math.round(maxSetBytes / 1048576)} MiB`,
            lang.manifest,
          );
        return lang.installed(target);
      }),
    );
    opts.logger.info({ language, declared: names, installed: installed.length }, 'dependencies ready');
    return { declared: names, installed, mount: lang.mount(dir) };
  };

  const health = async (): Promise<DependencyHealth> => ({
    enabled: opts.enabled,
    allowlist: allowlist.any ? '*' : allowlist.listed,
    registries: Object.fromEntries(Object.entries(registries).map(([k, v]) => [k, { ...v }])),
    cache: await cache.stats(),
  });

  return {
    prepare,
    allowlist,
    enabled: opts.enabled,
    health,
    checkRegistries: async () => {
      if (opts.enabled) {
        await Promise.all(
          all.map(async (lang) => {
            // Only a registry the operator named is probed unasked: an offline host that never installs
            // anything should not be told the public default is down. A default is judged by its installs.
            const configured = configuredOf(lang);
            if (!configured) return;
            const res = await probeUrl(lang.healthUrl(configured), 10_000);
            if (res.kind === 'unreachable') note(lang, false, res.detail);
            else note(lang, true);
          }),
        );
      }
      return health();
    },
  };
}
