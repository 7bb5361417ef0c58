import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Language } from '@hardfix/contracts';
import { createLogger, describeRedisOutage, type Env, parseClusterUrl, redactRedisUrl } from '@hardfix/core';
import { ADAPTERS } from '@hardfix/languages';
import { createSandbox, defaultWorkRoot, type Interpreters, type SandboxHealth } from '@hardfix/sandbox';
import { DEFAULT_STATE_DIR, embeddedRedisRunning, hostAndPort, pingRedis } from '@hardfix/standalone';
import { answersHttp, isExecutable, runProgram, versionOf, which, writableDir } from './probes.js';
import type { CheckResult } from './table.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SETUP = 'scripts/setup.sh';
const apt = (pkg: string) => `sudo apt-get install -y ${pkg} (or ${SETUP})`;

/** What `pnpm run doctor` is told: the parsed environment and the few raw values it reads itself. */
export interface DoctorInput {
  env: Env;
  redisUrlSet: boolean;
  path: string;
  anthropicKeySet: boolean;
  pipIndexUrl: string | undefined;
  npmRegistry: string | undefined;
}

export async function nodeVersion(): Promise<CheckResult> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    engines?: { node?: string };
  };
  const wanted = /(\d+)\.(\d+)/.exec(pkg.engines?.node ?? '') ?? ['', '20', '11'];
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const ok = major > Number(wanted[1]) || (major === Number(wanted[1]) && minor >= Number(wanted[2]));
  return {
    check: 'node',
    status: ok ? 'ok' : 'missing',
    found: `v${process.versions.node} (needs ${pkg.engines?.node})`,
    fix: 'install Node 20.11 or later (nvm install 20, or https://nodejs.org)',
  };
}

export async function pnpmVersion(): Promise<CheckResult> {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string };
  const wanted = pkg.packageManager.split('@')[1] ?? '';
  const found = await versionOf('pnpm');
  return {
    check: 'pnpm',
    status: found === wanted ? 'ok' : found ? 'warn' : 'missing',
    found: found ? `${found}${found === wanted ? '' : ` (package.json pins ${wanted})`}` : 'not found',
    fix: `npm install -g pnpm@${wanted}`,
  };
}

export async function redis(input: DoctorInput): Promise<CheckResult> {
  const { env } = input;
  if (input.redisUrlSet) {
    const cluster = parseClusterUrl(env.REDIS_URL);
    const { host, port } = cluster?.nodes[0] ?? hostAndPort(env.REDIS_URL);
    const shown = redactRedisUrl(env.REDIS_URL);
    const reply = await pingRedis(host, port, 2_000).catch((err: Error) => err);
    if (reply === '+PONG') return { check: 'redis', status: 'ok', found: `${shown} answers (REDIS_URL)` };
    if (typeof reply === 'string')
      return {
        check: 'redis',
        status: 'missing',
        found: `${shown} answers ${reply}`,
        fix: 'check the user and password in REDIS_URL',
      };
    return {
      check: 'redis',
      status: 'missing',
      found: describeRedisOutage(env.REDIS_URL, reply.message),
      fix: 'start Redis there (sudo service redis-server start), or unset REDIS_URL: pnpm start then runs its own',
    };
  }
  const dir = join(env.HARDFIX_STATE_DIR ?? DEFAULT_STATE_DIR, 'redis');
  const embedded = await embeddedRedisRunning(dir);
  if (embedded !== undefined)
    return {
      check: 'redis',
      status: 'ok',
      found: `embedded: redis://127.0.0.1:${embedded}, run by a hardfix process of this checkout (data in ${dir})`,
    };
  const probe = env.HARDFIX_LOCAL_REDIS_URL;
  const { host, port } = hostAndPort(probe);
  if ((await pingRedis(host, port, 2_000).catch(() => undefined)) !== undefined)
    return { check: 'redis', status: 'ok', found: `${probe} answers (REDIS_URL unset: the default)` };
  const server = await which('redis-server', input.path);
  if (server)
    return {
      check: 'redis',
      status: 'ok',
      found: `nothing on ${probe}: pnpm start and pnpm demo will run an embedded ${server} (data in ${dir}); pnpm test needs a Redis on ${probe} or REDIS_URL`,
      fix: 'sudo service redis-server start',
    };
  return {
    check: 'redis',
    status: 'missing',
    found: `REDIS_URL unset, nothing on ${probe}, no redis-server on PATH to start one`,
    fix: `${apt('redis-server')}, or set REDIS_URL to your Redis`,
  };
}

/** The kernel settings that decide whether an unprivileged process may create user namespaces. */
export async function userNamespaces(): Promise<CheckResult> {
  const read = (name: string) =>
    readFile(`/proc/sys/${name}`, 'utf8').then(
      (v) => v.trim(),
      () => undefined,
    );
  const max = await read('user/max_user_namespaces');
  const clone = await read('kernel/unprivileged_userns_clone');
  const apparmor = await read('kernel/apparmor_restrict_unprivileged_userns');
  const found = [
    `max_user_namespaces=${max ?? '?'}`,
    clone !== undefined ? `unprivileged_userns_clone=${clone}` : '',
    apparmor !== undefined ? `apparmor_restrict_unprivileged_userns=${apparmor}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const root = process.getuid?.() === 0;
  const fix =
    max === '0'
      ? 'sudo sysctl -w user.max_user_namespaces=15000'
      : clone === '0'
        ? 'sudo sysctl -w kernel.unprivileged_userns_clone=1'
        : apparmor === '1'
          ? 'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0'
          : undefined;
  // Root may create namespaces whatever the unprivileged settings say; the sandbox row is the proof.
  return {
    check: 'user namespaces',
    status: fix && !root ? 'missing' : 'ok',
    found,
    ...(fix ? { fix } : {}),
  };
}

/** bubblewrap, then the sandbox's own self-test of every language (the check the worker runs). */
export async function sandbox(
  input: DoctorInput,
): Promise<{ rows: CheckResult[]; health?: SandboxHealth; interpreters?: Interpreters }> {
  const { env } = input;
  if (env.SANDBOX_MODE === 'insecure-process')
    return {
      rows: [
        {
          check: 'bubblewrap',
          status: 'warn',
          found: 'not used: SANDBOX_MODE=insecure-process runs generated code WITHOUT isolation',
          fix: 'unset SANDBOX_MODE once bubblewrap works',
        },
      ],
    };
  const bwrap = (await isExecutable('/usr/bin/bwrap')) ? await versionOf('/usr/bin/bwrap') : undefined;
  const rows: CheckResult[] = [
    {
      check: 'bubblewrap',
      status: bwrap ? 'ok' : 'missing',
      found: bwrap ? `${bwrap} (/usr/bin/bwrap)` : '/usr/bin/bwrap not found',
      fix: apt('bubblewrap'),
    },
  ];
  if (!bwrap) return { rows };
  try {
    const box = await createSandbox({
      logger: createLogger('silent'),
      mode: env.SANDBOX_MODE,
      ...(env.SANDBOX_WORK_DIR ? { workRoot: env.SANDBOX_WORK_DIR } : {}),
    });
    const health = await box.selfTest();
    rows.push({
      check: 'sandbox self-test',
      status: health.state === 'ready' ? 'ok' : 'missing',
      found:
        health.state === 'ready'
          ? `every installed language runs under bubblewrap (work root ${env.SANDBOX_WORK_DIR ?? defaultWorkRoot()})`
          : health.reasons.join('; '),
      fix: 'see the reason; pnpm start logs the same',
    });
    return { rows, health, interpreters: box.describe().interpreters };
  } catch (err) {
    rows.push({ check: 'sandbox self-test', status: 'missing', found: (err as Error).message });
    return { rows };
  }
}

/**
 * One row per language, from its adapter: its tools where the sandbox resolved them (or the adapter's
 * defaults when there is no sandbox to ask), their versions, the self-test's verdict, and the adapter's
 * install line as the fix. A language whose tools are missing is `optional`, as for the worker, which
 * then disables that language alone; one that is installed and fails its self-test is `missing`. Then
 * pip, for projects that declare Python dependencies.
 */
export async function toolchains(
  health: SandboxHealth | undefined,
  interpreters: Partial<Interpreters> | undefined,
): Promise<CheckResult[]> {
  const rows = await Promise.all(
    ADAPTERS.map(async (adapter): Promise<CheckResult> => {
      const tools = await Promise.all(
        Object.entries(adapter.toolchain.tools as Record<string, string>).map(async ([name, path]) => {
          const at = interpreters?.[name as keyof Interpreters] ?? path;
          const present = await isExecutable(at);
          return { name, at, present, version: present ? await toolVersion(at) : undefined };
        }),
      );
      const check = `${adapter.id} (${tools.map((t) => t.name).join(', ')})`;
      const fix = adapter.toolchain.install;
      const absent = tools.filter((t) => !t.present);
      if (absent.length > 0)
        return {
          check,
          status: 'optional',
          found: `not installed: ${absent.map((t) => `${t.name} (${t.at})`).join(', ')}; workers here cannot verify ${adapter.displayName} projects`,
          fix,
        };
      const result = health?.languages[adapter.id as Language];
      const versions = tools.map((t) => `${t.version ?? t.name} (${t.at})`).join('; ');
      if (result && !result.ok)
        return { check, status: 'missing', found: `${versions}; sandbox self-test: ${result.reason}`, fix };
      return { check, status: 'ok', found: `${versions}${result ? '; sandbox self-test passed' : ''}`, fix };
    }),
  );
  const pip = await versionOf('/usr/bin/python3', ['-m', 'pip', '--version']);
  rows.push({
    check: 'pip',
    status: pip ? 'ok' : 'optional',
    found: pip ? pip.replace(/ from .*/, '') : 'not found (for projects that declare Python dependencies)',
    fix: apt('python3-pip'),
  });
  return rows;
}

/** A tool's version line: `--version` for most, `version` for go, which has no such flag. */
async function toolVersion(path: string): Promise<string | undefined> {
  return (await versionOf(path)) ?? (await versionOf(path, ['version']));
}

/** Where declared dependencies would be fetched from: optional until projects may declare them. */
export async function registries(input: DoctorInput): Promise<CheckResult[]> {
  const rows: CheckResult[] = [];
  for (const [check, variable, url] of [
    ['pip registry', 'PIP_INDEX_URL', input.pipIndexUrl ?? 'https://pypi.org/simple/'],
    ['npm registry', 'NPM_CONFIG_REGISTRY', input.npmRegistry ?? 'https://registry.npmjs.org/'],
  ] as const) {
    const problem = await answersHttp(url);
    rows.push({
      check,
      status: problem ? 'optional' : 'ok',
      found: problem ? `${url} does not answer (${problem})` : `${url} answers`,
      fix: `set ${variable} to a registry this machine can reach`,
    });
  }
  return rows;
}

export async function directories(input: DoctorInput): Promise<CheckResult[]> {
  const { env } = input;
  const delivery = resolve(env.DELIVERY_DIR);
  const deliveryProblem = await writableDir(delivery);
  const rows: CheckResult[] = [
    {
      check: 'DELIVERY_DIR',
      status: deliveryProblem ? 'missing' : 'ok',
      found: deliveryProblem ?? `${delivery} is writable`,
      fix: `sudo mkdir -p ${delivery} && sudo chown "$(id -un)" ${delivery}, or set DELIVERY_DIR`,
    },
  ];
  if (env.SANDBOX_WORK_DIR) {
    const problem = await writableDir(env.SANDBOX_WORK_DIR);
    rows.push({
      check: 'SANDBOX_WORK_DIR',
      status: problem ? 'missing' : 'ok',
      found: problem ?? `${env.SANDBOX_WORK_DIR} is writable`,
      fix: `sudo mkdir -p ${env.SANDBOX_WORK_DIR} && sudo chown "$(id -un)" ${env.SANDBOX_WORK_DIR}, or unset SANDBOX_WORK_DIR`,
    });
  } else
    rows.push({
      check: 'SANDBOX_WORK_DIR',
      status: 'ok',
      found: `unset: the sandbox makes and checks ${defaultWorkRoot()} (see the self-test)`,
    });
  return rows;
}

/** The model: `pnpm llm:check` when a key is set and the script exists. */
export async function model(input: DoctorInput): Promise<CheckResult> {
  if (!input.anthropicKeySet)
    return {
      check: 'model',
      status: 'warn',
      found:
        'ANTHROPIC_API_KEY is not set: LLM stages park their work (library hits still work; pnpm demo needs no key)',
      fix: 'set ANTHROPIC_API_KEY',
    };
  const { scripts } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  if (!scripts['llm:check'])
    return { check: 'model', status: 'warn', found: 'ANTHROPIC_API_KEY is set; llm:check not available' };
  const { code, output } = await runProgram('pnpm', ['--silent', 'llm:check'], {
    cwd: ROOT,
    timeoutMs: 120_000,
  });
  const last = output.split('\n').filter(Boolean).at(-1) ?? '';
  return {
    check: 'model',
    status: code === 0 ? 'ok' : 'missing',
    found: `pnpm llm:check ${code === 0 ? 'passed' : `failed (exit ${code})`}${last ? `: ${last}` : ''}`,
    fix: 'see pnpm llm:check; check ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL and LLM_MODEL',
  };
}
