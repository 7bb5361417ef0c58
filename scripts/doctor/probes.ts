import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

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

/** Creates `dir` if needed and writes a file in it; the error message when that fails. */
export async function writableDir(dir: string): Promise<string | undefined> {
  const probe = join(dir, `.doctor-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, 'ok');
    await rm(probe);
    return undefined;
  } catch (err) {
    return (err as Error).message;
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
