import { isTestFile, type Language, type TestCounts } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import { extractCodeBlock } from '../extract/lines-around.js';
import type { ExtractedError } from '../types.js';

export const NO_TESTS_RAN = 'NoTestsRan';

/**
 * A test step that exited 0 has passed only if its runner says its tests ran. Code that ends the
 * process while it is being loaded (a top-level `sys.exit(main())`, a `process.exit(0)` at the end of a
 * script the test imports) takes the test run down with it before any test runs, and the status is
 * still 0. Without this check such a program would be verified, delivered and saved as a proven fix
 * with its tests never run. Returns the error to fail the verification with, or undefined when the
 * tests did run.
 *
 * - every language: no test passed (none defined, or all skipped: a spec that checks nothing);
 * - python: no `Ran N tests` summary;
 * - javascript: node's runner reports a test file that ran no test as a passing test named by the
 *   file's own path (`ok 1 - /sandbox/index.test.js`);
 * - java: each test class is a `main` that passes by exiting 0, so an early `System.exit(0)` cannot be
 *   told from a pass; only a missing summary is caught.
 */
export function noTestsRan(
  language: Language,
  stdout: string,
  tests: TestCounts | undefined,
  files: { path: string; content: string }[],
  visibleRoot: string,
): ExtractedError | undefined {
  let message: string | undefined;
  if (!tests) {
    message =
      'the tests never ran: the test process ended with status 0 before its runner reported any result. ' +
      'Something the tests load ends the process when it is imported (a top-level exit call); run it only when the file is the entry point';
  } else if (tests.passed === 0) {
    message =
      tests.run === 0
        ? 'the test files define no test that ran'
        : `no test passed: all ${tests.run} were skipped, so nothing of the request was checked`;
  } else {
    const testFiles = files.filter((f) => isTestFile(language, f.path)).map((f) => f.path);
    const silent = adapterOf(language).verify.silentTestFiles?.(stdout, testFiles, visibleRoot) ?? [];
    if (silent.length > 0)
      message =
        `${silent.join(', ')} ran no test: the file, or code it loads, ended the process before its tests ran ` +
        '(process.exit at load), or it defines none';
  }
  if (message === undefined) return undefined;
  const site = exitCallSite(language, files);
  if (!site) return { type: NO_TESTS_RAN, message };
  const block = extractCodeBlock(files, site.file, site.line);
  return { type: NO_TESTS_RAN, message, ...site, ...(block ? { block } : {}) };
}

/** The first exit call in the project's own (non-test) code, a top-level one first. */
function exitCallSite(
  language: Language,
  files: { path: string; content: string }[],
): { file: string; line: number } | undefined {
  const sites: { file: string; line: number; topLevel: boolean }[] = [];
  for (const f of files) {
    if (!adapterOf(language).files.source.test(f.path) || isTestFile(language, f.path)) continue;
    f.content.split('\n').forEach((text, i) => {
      if (adapterOf(language).verify.exitCall.test(text))
        sites.push({ file: f.path, line: i + 1, topLevel: !/^\s/.test(text) });
    });
  }
  const site = sites.find((s) => s.topLevel) ?? sites[0];
  return site && { file: site.file, line: site.line };
}
