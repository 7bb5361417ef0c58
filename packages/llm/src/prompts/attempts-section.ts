import type { ProjectFile } from '@hardfix/contracts';
import { fenced, filesSection } from './format.js';

export interface FailedAttempt {
  n: number;
  files: readonly ProjectFile[];
  error: { type: string; message: string };
  /** The tail of the run's output. */
  output?: string | undefined;
}

/** Every failed attempt with its code and error, oldest first, so the model sees what was already tried. */
export function attemptsSection(attempts: readonly FailedAttempt[], withCode = true): string {
  return [...attempts]
    .sort((a, b) => a.n - b.n)
    .map((attempt) =>
      [
        `### Attempt ${attempt.n}: ${attempt.error.type}`,
        `Error: ${attempt.error.message}`,
        attempt.output?.trim() ? `Output:\n${fenced(attempt.output.trim())}` : '',
        withCode ? `Code of attempt ${attempt.n}:\n\n${filesSection(attempt.files)}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    )
    .join('\n\n');
}
