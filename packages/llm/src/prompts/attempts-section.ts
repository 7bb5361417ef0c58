import type { ProjectFile } from '@hardfix/contracts';
import { type FailingTestInfo, fenced, fileAndLine, filesSection, outputTail } from './format.js';

export interface FailedAttempt {
  n: number;
  files: readonly ProjectFile[];
  error: { type: string; message: string };
  /** The tail of the run's output. */
  output?: string | undefined;
  /** The test that failed, when one did. */
  test?: FailingTestInfo | undefined;
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

/** Every failed attempt with its code and error, oldest first, so the model sees what was already tried. */
export function attemptsSection(attempts: readonly FailedAttempt[], withCode = true): string {
  return [...attempts]
    .sort((a, b) => a.n - b.n)
    .map((attempt) =>
      [
        `### Attempt ${attempt.n}: ${attempt.error.type}`,
        `Error: ${attempt.error.message}`,
        testLine(attempt.test),
        attempt.output?.trim() ? `Output (tail):\n${fenced(outputTail(attempt.output))}` : '',
        withCode ? `Code of attempt ${attempt.n}:\n\n${filesSection(attempt.files)}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    )
    .join('\n\n');
}
