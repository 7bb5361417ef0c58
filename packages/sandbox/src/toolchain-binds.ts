import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ADAPTERS } from '@hardfix/languages';
import { prepareSharedDir } from './work-root.js';

/** A read-only bind: the host directory, and where the program sees it. */
export interface ToolchainBind {
  source: string;
  target: string;
}

/**
 * The toolchains installed outside /usr (an adapter's toolchain.hostPaths: typescript's compiler and
 * Node's types from this service's node_modules, Go's warm cache), bound read-only where the adapter
 * expects them. When programs run as other uids, a directory they cannot reach (a checkout under a
 * private 0700 directory, as `mktemp -d` makes) cannot be bound: bwrap would fail and take every
 * language down with it. Such a directory is copied once into a toolchain cache beside the work root
 * (which is checked reachable), and the copy is bound at the original path, so the adapter's paths and
 * relative links still hold.
 */
export async function prepareToolchainBinds(
  workRoot: string,
  otherUsersRunPrograms: boolean,
): Promise<ToolchainBind[]> {
  const paths = [
    ...new Set(ADAPTERS.flatMap((a) => ('hostPaths' in a.toolchain ? (a.toolchain.hostPaths ?? []) : []))),
  ];
  const binds: ToolchainBind[] = [];
  let cacheRoot: string | undefined;
  for (const path of paths) {
    if (!(await exists(path))) continue;
    if (!otherUsersRunPrograms || (await reachableByOthers(path))) {
      binds.push({ source: path, target: path });
      continue;
    }
    const suggestion = join(dirname(workRoot), `hardfix-toolchain-${process.getuid?.() ?? 'user'}`);
    cacheRoot ??= await prepareSharedDir(suggestion, true, 'the toolchain cache', suggestion);
    binds.push({ source: await copyOnce(path, cacheRoot), target: path });
  }
  return binds;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Every directory from / down to `path` searchable by others, and `path` itself readable. */
async function reachableByOthers(path: string): Promise<boolean> {
  if (((await stat(path)).mode & 0o005) !== 0o005) return false;
  for (let d = dirname(path); ; d = dirname(d)) {
    if (((await stat(d)).mode & 0o001) === 0) return false;
    if (d === dirname(d)) return true;
  }
}

/** The copy of `path` in the cache (made now unless there), built aside and renamed into place. */
async function copyOnce(path: string, cacheRoot: string): Promise<string> {
  const key = createHash('sha256').update(path).digest('hex').slice(0, 24);
  const dest = join(cacheRoot, key);
  if (
    await access(dest, constants.F_OK).then(
      () => true,
      () => false,
    )
  )
    return dest;
  const tmp = `${dest}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(tmp, { recursive: true });
  // Links stay as they are: pnpm's layout links packages relatively, and the copy is bound where the
  // original was.
  await cp(path, tmp, { recursive: true, verbatimSymlinks: true });
  await rename(tmp, dest).catch(async (err: NodeJS.ErrnoException) => {
    // Another worker put it there first: theirs is as good.
    await rm(tmp, { recursive: true, force: true });
    if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
  });
  return dest;
}
