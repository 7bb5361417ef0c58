import { chmod, lchown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { filePathSchema } from '@hardfix/contracts';
import { SandboxFault } from './sandbox-fault.js';
import { UnsafePathError } from './unsafe-path-error.js';

/**
 * Rejects a path that could escape the workspace. The API validates paths already, by the same rule
 * (filePathSchema): what the API accepts this accepts. The resolve check is defence in depth because
 * the sandbox is the last line before writing untrusted names to disk.
 */
export function assertSafePath(root: string, path: string): string {
  const parsed = filePathSchema.safeParse(path);
  if (!parsed.success) throw new UnsafePathError(path, parsed.error.issues[0]?.message ?? 'invalid');
  const target = resolve(root, path);
  const rel = relative(root, target);
  // `..` or `../x`, not a name that merely starts with two dots (`..config` is a file in the workspace).
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    throw new UnsafePathError(path, 'leaves the workspace');
  return target;
}

/** Checks a project's paths before anything is written: each safe, none twice, none inside another file. */
export function assertProjectPaths(paths: string[]): void {
  const seen = new Set<string>();
  for (const path of paths) {
    assertSafePath('/workspace', path);
    if (seen.has(path)) throw new UnsafePathError(path, 'appears twice');
    seen.add(path);
  }
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const parent = parts.slice(0, i).join('/');
      if (seen.has(parent)) throw new UnsafePathError(path, `is inside ${parent}, which is a file`);
    }
  }
}

/**
 * Creates a fresh workspace holding the project files. Everything is written by this process, with
 * `wx` (never following or overwriting anything); only then, when `owner` is given (programs run in
 * it directly, as that uid), is ownership handed over with lchown, children before the directory, so no
 * program of that uid can have planted a link in it first. Without `owner` it stays this process's,
 * readable by all: bubblewrap mounts it read-only and copies it into the sandbox.
 * Throws UnsafePathError for a bad path, SandboxFault when the host cannot write it.
 */
export async function createWorkspace(
  workRoot: string,
  files: { path: string; content: string }[],
  owner: number | undefined,
): Promise<string> {
  assertProjectPaths(files.map((f) => f.path));
  let dir: string;
  try {
    dir = await mkdtemp(join(workRoot, 'run-'));
  } catch (err) {
    throw new SandboxFault(`cannot create a workspace in ${workRoot}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    const written: string[] = [];
    for (const f of files) {
      const target = assertSafePath(dir, f.path);
      for (let d = dirname(target); d !== dir && !written.includes(d); d = dirname(d)) written.push(d);
      await mkdir(dirname(target), { recursive: true, mode: 0o755 });
      await writeFile(target, f.content, { flag: 'wx', mode: 0o644 });
      written.push(target);
    }
    if (owner === undefined) {
      await chmod(dir, 0o755);
    } else {
      // Deepest first, the workspace itself last.
      for (const path of written.sort((a, b) => b.length - a.length)) await lchown(path, owner, owner);
      await lchown(dir, owner, owner);
    }
    return dir;
  } catch (err) {
    await removeWorkspace(dir);
    throw new SandboxFault(`cannot write the workspace ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

export async function removeWorkspace(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
