import { lstatSync } from 'node:fs';

/** Path of the workspace inside the bubblewrap sandbox. */
export const SANDBOX_ROOT = '/sandbox';

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

export function bwrapArgs(bwrap: string, workdir: string, env: Record<string, string>): string[] {
  const args = [
    bwrap,
    '--ro-bind',
    '/usr',
    '/usr',
    ...rootEntries(),
    // Read-only /etc: the JVM and glibc need alternatives, ld.so.cache, nsswitch, timezone data.
    '--ro-bind',
    '/etc',
    '/etc',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--bind',
    workdir,
    SANDBOX_ROOT,
    '--chdir',
    SANDBOX_ROOT,
    // New network namespace (only loopback, down) is what makes the network unreachable.
    '--unshare-all',
    '--die-with-parent',
    // Blocks TIOCSTI-style escapes into the caller's terminal.
    '--new-session',
    '--clearenv',
  ];
  for (const [key, value] of Object.entries(env)) args.push('--setenv', key, value);
  return args;
}
