import { accessSync, constants, realpathSync } from 'node:fs';
import type { Interpreters } from './types.js';

/**
 * The distribution's interpreters, by absolute path: the service's own PATH may point at
 * shims (pyenv, nvm) that live under /root and do not exist inside the sandbox.
 */
export const DEFAULT_INTERPRETERS: Interpreters = {
  python3: '/usr/bin/python3',
  node: '/usr/bin/node',
  java: '/usr/bin/java',
  javac: '/usr/bin/javac',
};

/**
 * Resolves alternatives symlinks once (so /etc/alternatives is not needed at run time) and checks
 * that each interpreter is executable. Missing ones are reported, not fatal: a host without a JDK
 * can still verify python and javascript.
 */
export function resolveInterpreters(candidates: Interpreters = DEFAULT_INTERPRETERS): {
  interpreters: Interpreters;
  missing: (keyof Interpreters)[];
} {
  const interpreters = { ...candidates };
  const missing: (keyof Interpreters)[] = [];
  for (const key of Object.keys(candidates) as (keyof Interpreters)[]) {
    try {
      const real = realpathSync(candidates[key]);
      accessSync(real, constants.X_OK);
      interpreters[key] = real;
    } catch {
      missing.push(key);
    }
  }
  return { interpreters, missing };
}
