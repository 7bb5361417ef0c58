import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@hardfix/core';
import { bwrapArgs, SANDBOX_ROOT } from './bwrap-args.js';
import { resolveInterpreters } from './interpreters.js';
import { DEFAULT_LIMITS, prlimitArgs, type SandboxLimits } from './limits.js';
import { SandboxUnavailableError } from './sandbox-unavailable-error.js';
import { spawnLimited } from './spawn-limited.js';
import type { Interpreters, RunOptions, RunResult, SandboxDescription, SandboxKind } from './types.js';
import { UidPool } from './uid-pool.js';

export interface SandboxOptions {
  logger: Pick<Logger, 'info' | 'warn'>;
  /** `auto` uses bubblewrap when it works here and falls back to prlimit only. @defaultValue 'auto' */
  mode?: 'auto' | SandboxKind;
  limits?: Partial<SandboxLimits>;
  /**
   * uids the programs run as when the service is root; the workspace is chowned to one of them.
   * @defaultValue 61000..61031
   */
  uids?: number[];
  interpreters?: Partial<Interpreters>;
  /** Where workspaces are created; must be traversable (o+x) by the sandbox uids. @defaultValue os.tmpdir() */
  workRoot?: string;
  bwrapPath?: string;
  prlimitPath?: string;
}

/** The runner the verifiers use; built once at startup by `createSandbox`. */
export interface SandboxRunner {
  readonly kind: SandboxKind;
  readonly limits: SandboxLimits;
  readonly interpreters: Interpreters;
  readonly missingInterpreters: (keyof Interpreters)[];
  readonly workRoot: string;
  /** Whether workspaces must be chowned (the service is root and drops privileges). */
  readonly dropsPrivileges: boolean;
  readonly uids: UidPool;
  describe(): SandboxDescription;
  /** The workspace path as the sandboxed program sees it (for commands and error paths). */
  visiblePath(workdir: string): string;
  runSandboxed(opts: RunOptions): Promise<RunResult>;
}

const BASE_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };
const DEFAULT_UIDS = Array.from({ length: 32 }, (_, i) => 61_000 + i);
const PROBE_TIMEOUT_MS = 10_000;

export async function createSandboxRunner(options: SandboxOptions): Promise<SandboxRunner> {
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const bwrap = options.bwrapPath ?? '/usr/bin/bwrap';
  const prlimit = options.prlimitPath ?? '/usr/bin/prlimit';
  const workRoot = options.workRoot ?? tmpdir();
  const dropsPrivileges = process.getuid?.() === 0;
  const uidList = options.uids ?? DEFAULT_UIDS;
  const uids = new UidPool(uidList);
  const { interpreters, missing } = resolveInterpreters({
    python3: options.interpreters?.python3 ?? '/usr/bin/python3',
    node: options.interpreters?.node ?? '/usr/bin/node',
    java: options.interpreters?.java ?? '/usr/bin/java',
    javac: options.interpreters?.javac ?? '/usr/bin/javac',
  });
  if (!existsSync(prlimit)) throw new SandboxUnavailableError(`prlimit not found at ${prlimit}`);
  if (missing.length > 0) options.logger.warn({ missing }, 'sandbox: some interpreters are not installed');

  const run = (kind: SandboxKind, opts: RunOptions): Promise<RunResult> => {
    const uid = dropsPrivileges ? (opts.uid ?? uidList[0]) : undefined;
    const home = kind === 'bubblewrap' ? SANDBOX_ROOT : opts.workdir;
    const env = { ...BASE_ENV, HOME: home, ...opts.env };
    const argv =
      kind === 'bubblewrap'
        ? [prlimit, ...prlimitArgs(limits), ...bwrapArgs(bwrap, opts.workdir, env), ...opts.command]
        : [prlimit, ...prlimitArgs(limits), ...opts.command];
    return spawnLimited({
      argv,
      cwd: opts.workdir,
      env: kind === 'bubblewrap' ? {} : env,
      uid,
      gid: uid,
      timeoutMs: opts.timeoutMs,
      outputBytes: limits.outputBytes,
      drainBytes: limits.drainBytes,
    });
  };

  const { kind, failure } = await chooseKind(
    options.mode ?? 'auto',
    bwrap,
    workRoot,
    dropsPrivileges,
    uidList,
    run,
  );
  if (kind === 'prlimit-only') {
    options.logger.warn(
      { reason: failure ?? 'configured' },
      'sandbox: bubblewrap unavailable, running with prlimit only; the network is NOT isolated',
    );
  } else {
    options.logger.info({ limits }, 'sandbox: bubblewrap isolation (no network)');
  }

  return {
    kind,
    limits,
    interpreters,
    missingInterpreters: missing,
    workRoot,
    dropsPrivileges,
    uids,
    describe: () => ({
      kind,
      network: kind !== 'bubblewrap',
      uid: dropsPrivileges ? (uidList[0] ?? null) : null,
      limits: {
        memoryBytes: limits.memoryBytes,
        processes: limits.processes,
        openFiles: limits.openFiles,
        fileSizeBytes: limits.fileSizeBytes,
      },
      interpreters,
    }),
    visiblePath: (workdir) => (kind === 'bubblewrap' ? SANDBOX_ROOT : workdir),
    runSandboxed: (opts) => run(kind, opts),
  };
}

async function chooseKind(
  mode: 'auto' | SandboxKind,
  bwrap: string,
  workRoot: string,
  dropsPrivileges: boolean,
  uids: number[],
  run: (kind: SandboxKind, opts: RunOptions) => Promise<RunResult>,
): Promise<{ kind: SandboxKind; failure?: string }> {
  if (mode === 'prlimit-only') return { kind: 'prlimit-only' };
  const failure = existsSync(bwrap)
    ? await probeBwrap(workRoot, dropsPrivileges, uids, run)
    : 'not installed';
  if (failure === null) return { kind: 'bubblewrap' };
  if (mode === 'bubblewrap') throw new SandboxUnavailableError(`bubblewrap does not work here: ${failure}`);
  return { kind: 'prlimit-only', failure };
}

/** Runs `true` exactly as a real command would run (same uid, limits, mounts). Null means it works. */
async function probeBwrap(
  workRoot: string,
  dropsPrivileges: boolean,
  uids: number[],
  run: (kind: SandboxKind, opts: RunOptions) => Promise<RunResult>,
): Promise<string | null> {
  const dir = await mkdtemp(join(workRoot, 'hardfix-probe-'));
  try {
    const uid = uids[0];
    if (dropsPrivileges && uid !== undefined) await chown(dir, uid, uid);
    const result = await run('bubblewrap', {
      command: ['/usr/bin/true'],
      workdir: dir,
      timeoutMs: PROBE_TIMEOUT_MS,
    });
    return result.exitCode === 0 ? null : result.stderr.trim() || `exit ${result.exitCode ?? result.signal}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
