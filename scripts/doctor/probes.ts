import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';

/** A program's combined output and exit code; never throws (a missing program is code 127). */
export function runProgram(
  file: string,
  args: string[],
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { timeout: options.timeoutMs ?? 15_000, env: options.env, cwd: options.cwd, maxBuffer: 4 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 127) : 0;
        resolve({ code, output: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

/** The first line of `program --version` (or whichever flag), or undefined when it does not run. */
export async function versionOf(file: string, args = ['--version']): Promise<string | undefined> {
  const { code, output } = await runProgram(file, args);
  return code === 0 ? output.split('\n')[0] : undefined;
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where `program` is on `path`, as a shell would find it. */
export async function which(program: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    if (await isExecutable(join(dir, program))) return join(dir, program);
  }
  return undefined;
}

/**
 * Whether the service could write in `dir`: a file written and removed there, or, when `dir` does not
 * exist yet, a directory made and removed in its nearest existing parent (doctor creates nothing that
 * stays). The error message when not.
 */
export async function writableDir(dir: string): Promise<string | undefined> {
  let existing = dir;
  while (!(await stat(existing).catch(() => undefined))) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  try {
    if (!(await stat(existing)).isDirectory()) return `${existing} is not a directory`;
    if (existing === dir) {
      const probe = join(dir, `.doctor-${randomBytes(4).toString('hex')}`);
      await writeFile(probe, 'ok');
      await rm(probe);
    } else await rmdir(await mkdtemp(join(existing, '.doctor-')));
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return existing === dir
      ? `${dir} is not writable (${code})`
      : `${dir} cannot be created in ${existing} (${code})`;
  }
}

/** Whether an HTTP(S) URL answers at all (any status) within `timeoutMs`; the error when not. */
export async function answersHttp(url: string, timeoutMs = 5_000): Promise<string | undefined> {
  try {
    const res = await fetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.status >= 500 ? `HTTP ${res.status}` : undefined;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? (err as Error).message;
  }
}
