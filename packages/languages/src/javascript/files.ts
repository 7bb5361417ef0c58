/** Where a javascript project starts, and which of its files are tests (node:test: `*.test.js`). */
export const ENTRIES = ['index.js', 'main.js'] as const;
export const SOURCE = /\.[cm]?js$/;
export const TEST_FILE = /(^|\/)[^/]*\.test\.[cm]?js$/;
export const TEST_NAMING = "<module>.test.js with node:test and node:assert (require('node:test'))";

export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path);
}
