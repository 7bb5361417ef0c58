import { accessSync, constants, realpathSync } from 'node:fs';
import { TOOLS } from '@hardfix/languages';
import type { Interpreters } from './types.js';

/**
 * The distribution's interpreters, by absolute path (each language adapter's toolchain.tools): the
 * service's own PATH may point at shims (pyenv, nvm) that live under /root and do not exist inside the
 * sandbox.
 */
export const DEFAULT_INTERPRETERS: Interpreters = { ...TOOLS };

export interface InterpreterSearch {
  /** @defaultValue DEFAULT_INTERPRETERS */
  defaults?: Interpreters;
  /** The node running this service. @defaultValue process.execPath */
  ownNode?: string;
}

/** The real, executable path, or undefined. */
function executable(path: string): string | undefined {
  try {
    const real = realpathSync(path);
    accessSync(real, constants.X_OK);
    return real;
  } catch {
    return undefined;
  }
}

/**
 * Resolves alternatives symlinks once (so /etc/alternatives is not needed at run time) and checks
 * that each interpreter is executable. Missing ones are reported, not fatal: a host without a JDK
 * can still verify python and javascript.
 *
 * A path the caller chose is used as given. Without one, node falls back to the service's own node
 * when /usr/bin/node is absent: the official node images install node in /usr/local/bin only, and
 * the worker image would otherwise report javascript as not installed while running on node. Only a
 * node under /usr qualifies, because /usr is all of the file system the sandbox mounts.
 */
export function resolveInterpreters(
  chosen: Partial<Interpreters> = {},
  search: InterpreterSearch = {},
): { interpreters: Interpreters; missing: (keyof Interpreters)[] } {
  const defaults = search.defaults ?? DEFAULT_INTERPRETERS;
  const ownNode = executable(search.ownNode ?? process.execPath);
  const interpreters = { ...defaults };
  const missing: (keyof Interpreters)[] = [];
  for (const key of Object.keys(defaults) as (keyof Interpreters)[]) {
    const given = chosen[key];
    const candidates = given !== undefined ? [given] : [defaults[key]];
    if (given === undefined && key === 'node' && ownNode?.startsWith('/usr/')) candidates.push(ownNode);
    const found = candidates.map(executable).find((path) => path !== undefined);
    interpreters[key] = found ?? candidates[0] ?? defaults[key];
    if (found === undefined) missing.push(key);
  }
  return { interpreters, missing };
}
