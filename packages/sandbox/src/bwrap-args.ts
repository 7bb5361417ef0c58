import { lstatSync, readdirSync } from 'node:fs';
import { ADAPTERS } from '@hardfix/languages';
import type { SandboxLimits } from './limits.js';
import type { ToolchainBind } from './toolchain-binds.js';

/** Path of the workspace inside the bubblewrap sandbox. */
export const SANDBOX_ROOT = '/sandbox';
/** Where the project's files are mounted read-only, to be copied into the workspace. */
export const SOURCE_MOUNT = '/.hardfix-source';
/** Where a project's installed dependency set is mounted read-only (deps/). */
export const DEPS_MOUNT = '/.hardfix-deps';
/** Where the execute-only shell that runs the supervisor is mounted (supervisor-shell.ts). */
export const SUPERVISOR_SHELL = '/.hardfix-sh';

/**
 * The parts of /etc the runtimes read: the dynamic loader's cache, time zone, the JDK's and Python's
 * configuration (their trees under /usr link there). Not passwd, shadow, hosts or the service's own
 * configuration: a program has no business reading those.
 */
const ETC_ENTRIES = [
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
  'timezone',
  'nsswitch.conf',
  'alternatives',
  'mime.types',
  // What each language's runtime reads (its adapter's toolchain.etcEntries).
  ...ADAPTERS.flatMap((a) => a.toolchain.etcEntries),
];

/**
 * /bin, /lib, /lib64 and /sbin are symlinks into /usr on merged-usr systems (Debian 12, most
 * images) and real directories elsewhere; mirror whichever the host has.
 */
function rootEntries(): string[] {
  const args: string[] = [];
  for (const name of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const hostPath = `/${name}`;
    try {
      const st = lstatSync(hostPath);
      if (st.isSymbolicLink()) args.push('--symlink', `usr/${name}`, hostPath);
      else if (st.isDirectory()) args.push('--ro-bind', hostPath, hostPath);
    } catch {
      // Absent on this host.
    }
  }
  return args;
}

function etcEntries(): string[] {
  let names: string[];
  try {
    names = readdirSync('/etc');
  } catch {
    return [];
  }
  const wanted = names.filter((n) => ETC_ENTRIES.some((e) => (typeof e === 'string' ? e === n : e.test(n))));
  return wanted.flatMap((n) => ['--ro-bind', `/etc/${n}`, `/etc/${n}`]);
}

export interface BwrapOptions {
  bwrap: string;
  /** Host directory holding the project's files; mounted read-only and copied into a sized tmpfs. */
  source: string;
  /** Host path of the execute-only supervisor shell, mounted at SUPERVISOR_SHELL. */
  shell: string;
  limits: SandboxLimits;
  env: Record<string, string>;
  /** Toolchains installed outside /usr, bound read-only (toolchain-binds.ts). */
  toolchain: readonly ToolchainBind[];
  /** A cached dependency set: read-only at DEPS_MOUNT, with links into the workspace. */
  dependencies?: { hostPath: string; links: { from: string; to: string }[] };
}

export function bwrapArgs(opts: BwrapOptions): string[] {
  const { limits } = opts;
  const args = [
    opts.bwrap,
    '--ro-bind',
    '/usr',
    '/usr',
    ...rootEntries(),
    ...etcEntries(),
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    // Sized, so filling them hits ENOSPC instead of the host's memory; the rest of /dev is read-only.
    '--size',
    String(limits.shmBytes),
    '--tmpfs',
    '/dev/shm',
    '--remount-ro',
    '/dev',
    '--size',
    String(limits.tmpBytes),
    '--tmpfs',
    '/tmp',
    // After /tmp: a toolchain that lives under /tmp (a checkout there) would be hidden by its tmpfs.
    ...opts.toolchain.flatMap((b) => ['--ro-bind', b.source, b.target]),
    '--ro-bind',
    opts.source,
    SOURCE_MOUNT,
    '--ro-bind',
    opts.shell,
    SUPERVISOR_SHELL,
    // The workspace is a tmpfs of its own: its size is the disk quota, and the host directory is never
    // writable by the program (nothing on the host is chowned to it, nothing it links can be followed).
    '--size',
    String(limits.workspaceBytes),
    '--tmpfs',
    SANDBOX_ROOT,
    ...(opts.dependencies
      ? [
          '--ro-bind',
          opts.dependencies.hostPath,
          DEPS_MOUNT,
          ...opts.dependencies.links.flatMap((l) => ['--symlink', l.to, l.from]),
        ]
      : []),
    '--chdir',
    SANDBOX_ROOT,
    // A new network namespace (only its own loopback, no route anywhere) is what makes the network
    // unreachable, the host's loopback Redis included; a new pid namespace ends every process with the
    // supervisor.
    '--unshare-all',
    // Not even a nested user namespace: inside one, a program holds every capability over mounts of its
    // own, and a tmpfs mounted there is sized by no limit here (half the host's RAM by default). bwrap
    // >= 0.8 makes the sandbox's user namespace refuse new ones (needs an explicit --unshare-user), and
    // refuses to start if that did not take.
    '--unshare-user',
    '--disable-userns',
    '--assert-userns-disabled',
    '--die-with-parent',
    // Blocks TIOCSTI-style escapes into the caller's terminal.
    '--new-session',
    '--clearenv',
  ];
  for (const [key, value] of Object.entries(opts.env)) args.push('--setenv', key, value);
  return args;
}
