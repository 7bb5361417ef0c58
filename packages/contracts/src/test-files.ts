import { adapterOf, perLanguage } from '@hardfix/languages';
import type { Language, ProjectFile } from './names.js';

/**
 * Test files as README.md names them ("Tests are the spec"): `test_*.py` / `*_test.py` (unittest),
 * `*.test.js` (node:test), `*Test.java` (a `main` that exits non-zero on failure). One definition (each
 * adapter's files.test), shared by the verifier that runs them, the prompts that ask for them, the
 * check that freezes them and the fix library, which never edits them.
 */

/** How a prompt names the test files of a language. */
export const TEST_FILE_NAMING = perLanguage((a) => a.files.testNaming);

export function isTestFile(language: Language, path: string): boolean {
  return adapterOf(language).files.test.test(path);
}

export function testFilesOf(language: Language, files: readonly ProjectFile[]): ProjectFile[] {
  return files.filter((f) => isTestFile(language, f.path));
}

export interface TestFileChanges {
  added: string[];
  changed: string[];
  deleted: string[];
}

/**
 * What a candidate does to the spec: test files it adds, changes (any byte) or deletes compared with
 * the project's frozen test files. Empty lists when it leaves them alone.
 */
export function testFileChanges(
  language: Language,
  spec: readonly ProjectFile[],
  candidate: readonly ProjectFile[],
): TestFileChanges {
  const before = new Map(testFilesOf(language, spec).map((f) => [f.path, f.content]));
  const after = new Map(testFilesOf(language, candidate).map((f) => [f.path, f.content]));
  return {
    added: [...after.keys()].filter((p) => !before.has(p)),
    changed: [...after].filter(([p, c]) => before.has(p) && before.get(p) !== c).map(([p]) => p),
    deleted: [...before.keys()].filter((p) => !after.has(p)),
  };
}

/** "changes test_calc.py; deletes test_io.py", or undefined when the spec is untouched. */
export function describeTestFileChanges(changes: TestFileChanges): string | undefined {
  const parts = [
    changes.added.length ? `adds ${changes.added.join(', ')}` : '',
    changes.changed.length ? `changes ${changes.changed.join(', ')}` : '',
    changes.deleted.length ? `deletes ${changes.deleted.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : undefined;
}

/** What a verification proves about a fix: "tests" when tests ran and all passed, else "run-only". */
export function evidenceOf(tests: { run: number; failed: number } | undefined): 'tests' | 'run-only' {
  return tests && tests.run > 0 && tests.failed === 0 ? 'tests' : 'run-only';
}
