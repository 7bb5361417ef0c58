import { compiledPath } from './files.js';

/**
 * node reports a test file that ran no test of its own as one passing test named by the file's path,
 * here the compiled one (`ok 1 - /sandbox/.hardfix-ts/a.test.js`): those files, by their .ts path.
 */
export function silentTestFiles(stdout: string, testFiles: readonly string[], visibleRoot: string): string[] {
  const passedNames = new Set([...stdout.matchAll(/^ok \d+ - (.*)$/gm)].map((m) => m[1]));
  return testFiles.filter((path) => passedNames.has(`${visibleRoot}/${compiledPath(path)}`));
}
