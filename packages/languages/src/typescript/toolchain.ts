import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The TypeScript compiler and Node's type declarations are npm packages of this one (dependencies,
 * so the worker image has them), not files under /usr: their real directories are bound read-only
 * into the sandbox. Resolved once, where this module is installed; a package that cannot be found
 * (an image that dropped it) leaves a path that does not exist, so the sandbox reports `tsc` missing
 * and disables typescript alone.
 */
const require = createRequire(import.meta.url);

function packageDir(name: string, from?: string): string | undefined {
  try {
    const manifest = require.resolve(`${name}/package.json`, from ? { paths: [from] } : undefined);
    return realpathSync(dirname(manifest));
  } catch {
    return undefined;
  }
}

const typescriptDir = packageDir('typescript');
const typesNodeDir = packageDir('@types/node');
// @types/node imports undici-types, found by the compiler next to it (pnpm links it there).
const undiciDir = typesNodeDir ? packageDir('undici-types', typesNodeDir) : undefined;

/** The compiler's command-line entry (a node script). */
export const TSC_PATH = typescriptDir
  ? join(typescriptDir, 'bin', 'tsc')
  : '/usr/lib/node_modules/typescript/bin/tsc';

/** The `@types` folder holding Node's declarations: the type-check's only type root. */
export const NODE_TYPE_ROOT = typesNodeDir ? dirname(typesNodeDir) : '/usr/lib/node_modules/@types';

/**
 * What the sandbox binds: the compiler's package, and the folder holding `@types/node` with the link to
 * undici-types beside it (pnpm's layout; under npm's flat one both are one node_modules) and its target.
 */
export const HOST_PATHS: readonly string[] = [
  ...new Set(
    [typescriptDir, typesNodeDir && dirname(dirname(typesNodeDir)), undiciDir].filter(
      (p): p is string => p !== undefined,
    ),
  ),
];
