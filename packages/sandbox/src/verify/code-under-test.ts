import { isTestFile, type Language } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import { extractError } from '../extract/extract-error.js';
import type { ExtractedError, FailingTest } from '../types.js';
import { calledDefinition, linesUpTo } from './called-definition.js';

type Files = { path: string; content: string }[];

export interface LocateOptions {
  language: Language;
  /** The failing test step's output, without the runner's bookkeeping lines. */
  output: string;
  /** The same with them (the java runner names the failing class there). */
  rawOutput: string;
  files: Files;
  roots: string[];
  fallbackType: string;
  /** The entry file: the last resort when nothing narrower points at the code under test. */
  entry: string | undefined;
}

/**
 * Tests are the spec, so a failure must never send hard fix into a test file. When the extracted
 * location is in a test, this moves it to the code under test: the project's own non-test frame
 * nearest the failure (the same extraction over the non-test files only); else the definition of a
 * function the failing test line calls; else the entry file as a whole. The test's name, location and
 * asserting line are kept in `test` for the prompt.
 */
export function locateCodeUnderTest(error: ExtractedError, opts: LocateOptions): ExtractedError {
  const name = failingTestName(opts.language, opts.rawOutput);
  const inTest = error.file !== undefined && isTestFile(opts.language, error.file);
  if (!inTest) return name ? { ...error, test: { name } } : error;

  const testFile = error.file as string;
  const assertion = lineOf(opts.files, testFile, error.line);
  const test: FailingTest = {
    ...(name ? { name } : {}),
    file: testFile,
    ...(error.line ? { line: error.line } : {}),
    ...(assertion ? { assertion } : {}),
  };
  const { file: _f, line: _l, block: _b, ...rest } = error;
  const code = opts.files.filter((f) => !isTestFile(opts.language, f.path));
  if (code.length === 0) return { ...error, test };

  const nearest = extractError(opts.language, opts.output, code, {
    roots: opts.roots,
    fallbackType: opts.fallbackType,
  });
  if (nearest.file !== undefined) {
    const { file, line, block } = nearest;
    return { ...rest, file, ...(line ? { line } : {}), ...(block ? { block } : {}), test };
  }
  const testLines = opts.files.find((f) => f.path === testFile)?.content.split('\n') ?? [];
  const definition = calledDefinition(opts.language, linesUpTo(testLines, error.line), code);
  if (definition)
    return { ...rest, file: definition.file, line: definition.startLine, block: definition, test };
  const fallback = code.find((f) => f.path === opts.entry) ?? code[0];
  return { ...rest, ...(fallback ? { file: fallback.path } : {}), test };
}

function lineOf(files: Files, path: string, line: number | undefined): string | undefined {
  if (line === undefined) return undefined;
  const text = files
    .find((f) => f.path === path)
    ?.content.split('\n')
    [line - 1]?.trim();
  return text || undefined;
}

/**
 * The failing test as its runner names it: the one whose failure was extracted (python: the last
 * traceback, so the last FAIL/ERROR header; node and java: the first failure).
 */
export function failingTestName(language: Language, output: string): string | undefined {
  return adapterOf(language).verify.failingTestName(output);
}
