import type { Language, ProjectFile } from './names.js';

/**
 * Test files as README.md names them ("Tests are the spec"): `test_*.py` / `*_test.py` (unittest),
 * `*.test.js` (node:test), `*Test.java` (a `main` that exits non-zero on failure). One definition,
 * shared by the verifier that runs them, the prompts that ask for them and the check that freezes them.
 */
const TEST_FILE: Record<Language, RegExp> = {
  python: /(^|\/)(test_[^/]*|[^/]*_test)\.py$/,
  javascript: /(^|\/)[^/]*\.test\.[cm]?js$/,
  java: /(^|\/)[^/]*Test\.java$/,
};

/** How a prompt names the test files of a language. */
export const TEST_FILE_NAMING: Record<Language, string> = {
  python: 'test_<module>.py with unittest (a unittest.TestCase per behaviour)',
  javascript: "<module>.test.js with node:test and node:assert (require('node:test'))",
  java: '<Name>Test.java with a public static void main that checks each behaviour and ends with System.exit(1) when any check fails',
};

export function isTestFile(language: Language, path: string): boolean {
  return TEST_FILE[language].test(path);
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
