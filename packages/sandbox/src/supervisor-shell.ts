import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, realpath, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SandboxUnavailableError } from './sandbox-unavailable-error.js';

const execFileAsync = promisify(execFile);

/** The shell's file name in the work root; everything else there is a workspace. */
export const SUPERVISOR_SHELL_FILE = 'supervisor-sh';

/**
 * An execute-only copy of the shell that runs the supervisor (supervisor-script.ts). The supervisor runs
 * as the program's uid, so from a readable shell the program could attach to it (ptrace,
 * /proc/<pid>/mem) or copy its descriptors (pidfd_getfd), the status channel included, and report its
 * own verdict. Started from a file it may not read, the supervisor is made non-dumpable by the kernel,
 * and a process without capabilities (bubblewrap drops them all) can do none of those to it.
 * Written beside the workspaces and swapped in by rename, so worker processes sharing the work root
 * never see half a file.
 */
export async function prepareSupervisorShell(workRoot: string, shell = '/bin/sh'): Promise<string> {
  const target = join(workRoot, SUPERVISOR_SHELL_FILE);
  const temp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await copyFile(await realpath(shell), temp);
    await chmod(temp, 0o111);
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw new SandboxUnavailableError(
      `cannot write the supervisor's shell to ${target} (${(err as NodeJS.ErrnoException).code ?? String(err)}); SANDBOX_WORK_DIR must be writable by this service`,
    );
  }
  // A work root on a noexec mount would fail every verification with a bare exit 126; say why now.
  try {
    await execFileAsync(target, ['-c', 'exit 0'], { timeout: 10_000 });
  } catch (err) {
    throw new SandboxUnavailableError(
      `the supervisor's shell ${target} cannot be run (${(err as NodeJS.ErrnoException).code ?? String(err)}); SANDBOX_WORK_DIR must be on a filesystem that allows running programs (not mounted noexec)`,
    );
  }
  return target;
}
