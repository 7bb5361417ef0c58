import type { SourceFile } from '../types.js';

/** Where a go project starts, and which of its files are tests (`go test`: `*_test.go`). */
export const ENTRIES = ['main.go'] as const;
export const SOURCE = /\.go$/;
export const TEST_FILE = /(^|\/)[^/]*_test\.go$/;
export const TEST_NAMING =
  '<file>_test.go in the same package, with func TestXxx(t *testing.T) functions from the testing package (t.Errorf / t.Fatalf on a wrong result)';

/** The go.mod written when a project has none: the module is named after the project. */
export function goMod(projectName: string): string {
  return `module ${projectName}\n\ngo 1.19\n`;
}

/** The model's files, with a go.mod when they have none (the go command builds nothing outside a module). */
export function completeFiles(files: readonly SourceFile[], projectName: string): SourceFile[] {
  if (files.some((f) => f.path === 'go.mod')) return [...files];
  return [...files, { path: 'go.mod', content: goMod(projectName) }];
}

export function isTestFile(path: string): boolean {
  return TEST_FILE.test(path);
}

/** A top-level test function of a test file: what `go test` runs and reports by name. */
export const TEST_FUNC = /^func\s+(Test[^a-z]\w*|Test)\s*\(\s*\w+\s+\*testing\.T\s*\)/gm;

/** The names of the top-level tests the test files declare, each as often as it is declared. */
export function declaredTests(files: readonly { path: string; content: string }[]): string[] {
  return files
    .filter((f) => isTestFile(f.path))
    .flatMap((f) => [...f.content.matchAll(TEST_FUNC)].map((m) => m[1] as string));
}
