import { existsSync } from 'node:fs';
import type { DependencyMount } from '@hardfix/languages';
import { bwrapArgs, DEPS_MOUNT, SANDBOX_ROOT, SOURCE_MOUNT, SUPERVISOR_SHELL } from './bwrap-args.js';
import { cgroupLimits } from './cgroup-support.js';
import { closeInheritedArgv } from './close-inherited.js';
import { resolveInterpreters } from './interpreters.js';
import { killUidProcesses } from './kill-uid.js';
import { DEFAULT_LIMITS, prlimitArgs, type SandboxLimits } from './limits.js';
import type { Logger } from './logger.js';
import { runSupervised, type SupervisedResult } from './run-supervised.js';
import { SandboxUnavailableError } from './sandbox-unavailable-error.js';
import { type ScriptStep, STATUS_FD, supervisorScript } from './supervisor-script.js';
import { prepareSupervisorShell } from './supervisor-shell.js';
import { prepareToolchainBinds } from './toolchain-binds.js';
import type { Interpreters, SandboxDescription, SandboxIsolation, SandboxMode } from './types.js';
import { UidPool } from './uid-pool.js';
import { defaultWorkRoot, prepareWorkRoot } from './work-root.js';
import { createWorkspace, removeWorkspace } from './workspace.js';

export interface SandboxOptions {
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * `bubblewrap` refuses to start when bubblewrap cannot run here; `insecure-process` is the explicit
   * opt-in to run programs without namespaces (no network isolation). @defaultValue 'bubblewrap'
   */
  mode?: SandboxMode;
  limits?: Partial<SandboxLimits>;
  /**
   * uids the programs run as when the service is root.
   * @defaultValue 61000..61031
   */
  uids?: number[];
  interpreters?: Partial<Interpreters>;
  /** Where workspaces are created (SANDBOX_WORK_DIR). @defaultValue /var/tmp/hardfix-sandbox-<uid> */
  workRoot?: string;
  bwrapPath?: string;
  prlimitPath?: string;
  /** Closes inherited descriptors before anything of the sandbox starts (close-inherited.ts). @defaultValue /bin/bash */
  bashPath?: string;
}

export interface PlanStep {
  command: string[];
  env?: Record<string, string>;
  memory?: 'program' | 'runtime';
}

/** The runner the verifiers use; built once at startup by `createSandboxRunner`. */
export interface SandboxRunner {
  readonly mode: SandboxMode;
  readonly limits: SandboxLimits;
  readonly interpreters: Interpreters;
  readonly missingInterpreters: (keyof Interpreters)[];
  readonly workRoot: string;
  readonly isolation: SandboxIsolation;
  describe(): SandboxDescription;
  /** The workspace path as the sandboxed program sees it (for error paths). */
  visiblePath(workdir: string): string;
  /** Writes the files into a fresh workspace and runs the steps in one sandbox, stopping at the first failure. */
  runSteps(
    files: { path: string; content: string }[],
    steps: PlanStep[],
    timeoutMs: number,
    dependencies?: DependencyMount,
  ): Promise<StepsRun>;
}

export interface StepsRun extends SupervisedResult {
  /** Where the program saw its workspace (a prefix to strip from paths in its output). */
  visibleRoot: string;
}

const BASE_ENV = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };
const DEFAULT_UIDS = Array.from({ length: 32 }, (_, i) => 61_000 + i);
const PROBE_TIMEOUT_MS = 10_000;

/** Fails when `unshare -U` works inside the sandbox; without unshare installed there is nothing to try. */
const NESTED_USERNS_PROBE =
  'command -v unshare >/dev/null || exit 0; if unshare -U true 2>/dev/null; then echo "unshare -U succeeded" >&2; exit 1; fi';

/** The one-line fix printed when bubblewrap cannot run. */
export const BUBBLEWRAP_FIX =
  'install bubblewrap >= 0.8 (apt-get install bubblewrap; 0.8 is the first with --disable-userns), allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; in Docker: security_opt seccomp:unconfined and systempaths=unconfined, as docker-compose.yml sets), or set SANDBOX_MODE=insecure-process to run without isolation';

export async function createSandboxRunner(options: SandboxOptions): Promise<SandboxRunner> {
  const mode = options.mode ?? 'bubblewrap';
  const limits: SandboxLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const bwrap = options.bwrapPath ?? '/usr/bin/bwrap';
  const prlimit = options.prlimitPath ?? '/usr/bin/prlimit';
  const bash = options.bashPath ?? '/bin/bash';
  const dropsPrivileges = process.getuid?.() === 0;
  const uids = new UidPool(options.uids ?? DEFAULT_UIDS);
  const { interpreters, missing } = resolveInterpreters(options.interpreters);
  if (!existsSync(prlimit))
    throw new SandboxUnavailableError(`prlimit not found at ${prlimit}; install util-linux`);
  if (!existsSync(bash))
    throw new SandboxUnavailableError(
      `bash not found at ${bash}; it closes the descriptors the worker inherited before a program starts: install bash`,
    );
  if (mode === 'bubblewrap' && !existsSync(bwrap))
    throw new SandboxUnavailableError(`bubblewrap is not installed at ${bwrap}: ${BUBBLEWRAP_FIX}`);
  const workRoot = await prepareWorkRoot(options.workRoot ?? defaultWorkRoot(), dropsPrivileges);
  const supervisorShell = await prepareSupervisorShell(workRoot);
  const toolchain = mode === 'bubblewrap' ? await prepareToolchainBinds(workRoot, dropsPrivileges) : [];
  if (missing.length > 0) options.logger.warn({ missing }, 'sandbox: some interpreters are not installed');

  const runSteps = async (
    files: { path: string; content: string }[],
    steps: PlanStep[],
    timeoutMs: number,
    dependencies?: DependencyMount,
  ): Promise<StepsRun> => {
    const lease = dropsPrivileges ? await uids.acquire() : undefined;
    const uid = lease?.uid;
    const isolated = mode === 'bubblewrap';
    let dir: string | undefined;
    try {
      // Under bubblewrap the host copy stays ours and read-only; without it the program works in it directly.
      dir = await createWorkspace(workRoot, files, isolated ? undefined : uid);
      const visibleRoot = isolated ? SANDBOX_ROOT : dir;
      const scriptSteps: ScriptStep[] = steps.map((s) => ({
        command: s.command,
        ...(s.env ? { env: s.env } : {}),
        addressSpaceBytes: limits.memoryBytes + (s.memory === 'runtime' ? limits.runtimeReserveBytes : 0),
      }));
      const script = supervisorScript({
        steps: scriptSteps,
        workdir: visibleRoot,
        prlimit,
        ...(isolated ? { source: SOURCE_MOUNT } : {}),
      });
      const depsPath = isolated ? DEPS_MOUNT : dependencies?.hostPath;
      const env = {
        ...BASE_ENV,
        HOME: visibleRoot,
        ...(dependencies && depsPath ? dependencies.env(depsPath) : {}),
      };
      // A project that ships its own node_modules keeps it; otherwise the set's is linked in.
      const links =
        isolated && dependencies && !files.some((f) => f.path.split('/')[0] === 'node_modules')
          ? (dependencies.links ?? []).map((l) => ({
              from: `${SANDBOX_ROOT}/${l.workspacePath}`,
              to: `${DEPS_MOUNT}/${l.target}`,
            }))
          : [];
      const sh = [isolated ? SUPERVISOR_SHELL : supervisorShell, '-c', script];
      const argv = isolated
        ? [
            prlimit,
            ...prlimitArgs(limits),
            '--',
            ...bwrapArgs({
              bwrap,
              source: dir,
              shell: supervisorShell,
              limits,
              env,
              toolchain,
              ...(dependencies ? { dependencies: { hostPath: dependencies.hostPath, links } } : {}),
            }),
            ...sh,
          ]
        : [prlimit, ...prlimitArgs(limits), '--', ...sh];
      const result = await runSupervised({
        argv: closeInheritedArgv(bash, STATUS_FD + 2 * steps.length, argv),
        cwd: isolated ? workRoot : dir,
        env: isolated ? {} : env,
        ...(uid === undefined ? {} : { uid, gid: uid }),
        stepCount: steps.length,
        timeoutMs,
        outputBytes: limits.outputBytes,
        drainBytes: limits.drainBytes,
        // Without a pid namespace, a setsid'd process escapes the process group; when the uid is this
        // run's alone, every process of it is this run's and can go. Under bubblewrap the namespace ends
        // them, but not at once on a loaded host: the sweep also waits until they are gone, so the uid's
        // next run does not share RLIMIT_NPROC with a process still exiting.
        ...(uid !== undefined && lease?.exclusive
          ? {
              afterKill: async () => {
                await killUidProcesses(uid);
              },
            }
          : {}),
      });
      return { ...result, visibleRoot };
    } finally {
      if (dir !== undefined) await removeWorkspace(dir);
      await lease?.release();
    }
  };

  if (mode === 'bubblewrap') {
    // bwrap itself refuses to start when it could not disable user namespaces (--assert-userns-disabled);
    // the second step tries one as a program would.
    const probe = await runSteps(
      [],
      [{ command: ['/usr/bin/true'] }, { command: ['/bin/sh', '-c', NESTED_USERNS_PROBE] }],
      PROBE_TIMEOUT_MS,
    );
    const failure =
      probe.fault ??
      (probe.steps[0]?.exitCode !== 0
        ? 'exit status of true was not 0'
        : probe.steps[1]?.exitCode !== 0
          ? `a program could create a nested user namespace (${probe.steps[1]?.stderr.trim() || 'no output'})`
          : undefined);
    if (failure)
      throw new SandboxUnavailableError(`bubblewrap does not work here (${failure}): ${BUBBLEWRAP_FIX}`);
    options.logger.info({ limits, workRoot }, 'sandbox: bubblewrap isolation (no network)');
  } else {
    options.logger.error(
      { workRoot, sandboxMode: mode },
      'SANDBOX_MODE=insecure-process: generated code runs WITHOUT isolation: it can reach the network, and without root it runs as this service user and could read its environment through /proc. Use only for development.',
    );
  }

  const isolation: SandboxIsolation = {
    nestedNamespaces: mode !== 'bubblewrap',
    inheritedDescriptorsClosed: true,
    cgroupLimits: cgroupLimits(),
  };
  if (!isolation.cgroupLimits.applied)
    options.logger.warn(
      { reason: isolation.cgroupLimits.reason },
      'sandbox: no cgroup memory/pids limit per verification; the per-process limits and sized mounts apply',
    );

  return {
    mode,
    limits,
    isolation,
    interpreters,
    missingInterpreters: missing,
    workRoot,
    describe: () => ({
      kind: mode,
      network: mode !== 'bubblewrap',
      uid: dropsPrivileges ? ((options.uids ?? DEFAULT_UIDS)[0] ?? null) : null,
      limits: {
        memoryBytes: limits.memoryBytes,
        processes: limits.processes,
        openFiles: limits.openFiles,
        fileSizeBytes: limits.fileSizeBytes,
        workspaceBytes: limits.workspaceBytes,
      },
      interpreters,
      workRoot,
      isolation,
    }),
    visiblePath: (workdir) => (mode === 'bubblewrap' ? SANDBOX_ROOT : workdir),
    runSteps,
  };
}
