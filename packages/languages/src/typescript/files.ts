/**
 * Where a typescript project starts, and which of its files are tests (node:test: `*.test.ts`).
 * Declaration files (`.d.ts`) are sources too: the type-check reads them, nothing runs them.
 */
export const ENTRIES = ['main.ts', 'index.ts'] as const;
export const SOURCE = /\.[cm]?ts$/;
export const TEST_FILE = /(^|\/)[^/]*\.test\.[cm]?ts$/;
export const TEST_NAMING =
  "<module>.test.ts with node:test and node:assert (import test from 'node:test'), importing the project's modules by their .js name (import { f } from './main.js')";

export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path);
}

/** Where the compiler writes its output, inside the sandbox's workspace (never part of the project). */
export const OUT_DIR = '.hardfix-ts';

/** The compiled file node runs for a source: `src/a.ts` → `.hardfix-ts/src/a.js` (`.mts` → `.mjs`). */
export function compiledPath(path: string): string {
  return `${OUT_DIR}/${path.replace(/\.([cm]?)ts$/, '.$1js')}`;
}
