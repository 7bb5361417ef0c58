import { chown, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { filePathSchema } from '@hardfix/contracts';
import { UnsafePathError } from './unsafe-path-error.js';

/**
 * Rejects a path that could escape the workspace. The API validates paths already; this is
 * defence in depth because the sandbox is the last line before writing untrusted names to disk.
 */
export function assertSafePath(root: string, path: string): string {
  const parsed = filePathSchema.safeParse(path);
  if (!parsed.success) throw new UnsafePathError(path, parsed.error.issues[0]?.message ?? 'invalid');
  const target = resolve(root, path);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw new UnsafePathError(path, 'leaves the workspace');
  return target;
}

/** Creates a fresh workspace holding the project files, owned by `uid` when given. */
export async function createWorkspace(
  workRoot: string,
  files: { path: string; content: string }[],
  uid: number | undefined,
): Promise<string> {
  // Validate everything first so a bad name leaves nothing behind.
  const dir = await mkdtemp(join(workRoot, 'hardfix-verify-'));
  try {
    const targets = files.map((f) => ({ target: assertSafePath(dir, f.path), content: f.content }));
    for (const { target, content } of targets) {
      await mkdir(resolve(target, '..'), { recursive: true });
      // 'wx' refuses to follow or overwrite anything already there (duplicate or colliding names).
      await writeFile(target, content, { flag: 'wx', mode: 0o644 });
    }
    if (uid !== undefined) await chownTree(dir, uid);
    return dir;
  } catch (err) {
    await removeWorkspace(dir);
    throw err;
  }
}

async function chownTree(dir: string, uid: number): Promise<void> {
  await chown(dir, uid, uid);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(path, uid);
    else await chown(path, uid, uid);
  }
}

export async function removeWorkspace(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
