import type { CodeBlock, ProjectFile, TestCounts } from '@hardfix/contracts';
import {
  type FailingTestInfo,
  fenced,
  fenceLanguage,
  fileAndLine,
  filesSection,
  outputTail,
} from './format.js';

export interface FailedAttempt {
  n: number;
  /** The whole project the attempt proposed (generation, smart retry); empty for a hard-fix candidate. */
  files: readonly ProjectFile[];
  /** A hard-fix candidate: the line range it replaced and the code it put there (shown instead of files). */
  patch?: CodeBlock | undefined;
  error: { type: string; message: string; file?: string | undefined; line?: number | undefined };
  /** The tail of the run's output. */
  output?: string | undefined;
  /** The test that failed, when one did. */
  test?: FailingTestInfo | undefined;
  /** What the project's tests did in that run. */
  tests?: TestCounts | undefined;
  /** A hard-fix candidate: whether its files became the next attempt's base (it got further) or were reverted. */
  kept?: boolean | undefined;
}

export interface AttemptsSectionOptions {
  /** Show each attempt's code (its files, or its patch). @defaultValue true */
  withCode?: boolean;
  /** How much of each attempt's output to show. @defaultValue 3000 */
  outputChars?: number;
}

function testLine(test: FailedAttempt['test']): string {
  if (!test) return '';
  const where = fileAndLine(test.file, test.line);
  return [
    `Failing test: ${test.name ?? '(unnamed)'}`,
    where ? ` in ${where}` : '',
    test.assertion ? `, asserting \`${test.assertion}\`` : '',
  ].join('');
}

function countsLine(tests: TestCounts | undefined): string {
  return tests ? `Tests: ${tests.passed} of ${tests.run} passed` : '';
}

function codeOf(attempt: FailedAttempt): string {
  const { patch } = attempt;
  if (!patch) return `Code of attempt ${attempt.n}:\n\n${filesSection(attempt.files)}`;
  return `It replaced ${patch.file} lines ${patch.startLine}-${patch.endLine} with:\n${fenced(patch.code, fenceLanguage(patch.file))}`;
}

function keptLine(kept: boolean | undefined): string {
  if (kept === undefined) return '';
  return kept
    ? 'Kept: it got further than the files it patched, so the files you are given include it.'
    : 'Reverted: it got no further, so the files you are given are as they were before it.';
}

/**
 * Every failed attempt with its error, failing test, output and code, oldest first, so the model sees
 * what was already tried and what each try produced (analysis, smart retry, hard fix).
 */
export function attemptsSection(
  attempts: readonly FailedAttempt[],
  { withCode = true, outputChars = 3_000 }: AttemptsSectionOptions = {},
): string {
  return [...attempts]
    .sort((a, b) => a.n - b.n)
    .map((attempt) => {
      const where = fileAndLine(attempt.error.file, attempt.error.line);
      return [
        `### Attempt ${attempt.n}: ${attempt.error.type}`,
        `Error: ${attempt.error.message}${where ? ` (at ${where})` : ''}`,
        countsLine(attempt.tests),
        testLine(attempt.test),
        attempt.output?.trim() ? `Output (tail):\n${fenced(outputTail(attempt.output, outputChars))}` : '',
        withCode ? codeOf(attempt) : '',
        keptLine(attempt.kept),
      ]
        .filter(Boolean)
        .join('\n\n');
    })
    .join('\n\n');
}
