import { chmod, lstat, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SandboxUnavailableError } from './sandbox-unavailable-error.js';

/**
 * The default work root does not follow TMPDIR: a private TMPDIR (0700, as `mktemp -d` or a per-user
 * runtime dir makes it) cannot be entered by the sandbox users, and every verification would fail.
 * /var/tmp is world-searchable on every Linux host and survives in containers.
 */
export function defaultWorkRoot(): string {
  return `/var/tmp/hardfix-sandbox-${process.getuid?.() ?? 'user'}`;
}

/**
 * Creates the work root if needed and checks it is safe and usable: a real directory (not a link), owned
 * by this process, not writable by others, and — when programs run as other uids — every directory from
 * `/` down to it searchable by them. Throws SandboxUnavailableError naming the directory and the fix.
 */
export async function prepareWorkRoot(dir: string, otherUsersRunPrograms: boolean): Promise<string> {
  return prepareSharedDir(dir, otherUsersRunPrograms, 'SANDBOX_WORK_DIR', defaultWorkRoot());
}

/**
 * The same checks for any directory the sandbox's programs must reach (the work root, the dependency
 * cache that is bound read-only into every sandbox): `variable` names the setting in messages and
 * `suggestion` is a directory that passes. Without this, an unreachable directory shows up only as "the
 * sandbox did not come up", once per verification.
 */
export async function prepareSharedDir(
  dir: string,
  otherUsersRunPrograms: boolean,
  variable: string,
  suggestion: string,
): Promise<string> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true, mode: 0o711 }).catch((err: NodeJS.ErrnoException) => {
    throw new SandboxUnavailableError(
      `${variable} ${root} cannot be created (${err.code ?? err.message}); point ${variable} at a directory this service may create`,
    );
  });
  const st = await lstat(root);
  if (!st.isDirectory())
    throw new SandboxUnavailableError(`${variable} ${root} is not a directory (a link or a file)`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid)
    throw new SandboxUnavailableError(
      `${variable} ${root} belongs to uid ${st.uid}, not to this service (uid ${uid}); remove it or choose another directory`,
    );
  // Others may search it (to reach their workspace) but neither list nor write it.
  if ((st.mode & 0o777) !== 0o711) await chmod(root, 0o711);
  if (otherUsersRunPrograms) {
    for (let d = root; ; d = dirname(d)) {
      const mode = (await lstat(d)).mode;
      if ((mode & 0o001) === 0)
        throw new SandboxUnavailableError(
          `${variable} ${root}: ${d} (mode ${(mode & 0o777).toString(8).padStart(4, '0')}) cannot be entered by the sandbox users; choose a directory whose parents are all searchable (o+x), e.g. ${suggestion}`,
        );
      if (d === dirname(d)) break;
    }
  }
  return root;
}
