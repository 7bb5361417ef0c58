import type { z } from 'zod';

/**
 * Files a project may not hold under today's rules (a path refused by filePathSchema, say), found when
 * they are about to be stored: a record saved under an older rule, carried into a new attempt. A stage
 * parks the project with this message rather than failing its job with no word of why.
 */
export class InvalidFilesError extends Error {
  readonly code = 'invalid_files';
  constructor(
    readonly projectId: string,
    files: unknown,
    error: z.ZodError,
  ) {
    const first = error.issues[0];
    const where = first ? first.path.join('.') : '';
    // The refused value itself (a path), so the reason names the file and not only its index.
    const value = first?.path.reduce<unknown>(
      (at, key) => (at && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined),
      files,
    );
    const shown = typeof value === 'string' && value.length <= 256 ? ` (${JSON.stringify(value)})` : '';
    super(
      `the files of project ${projectId} break the file rules: ${first ? `${where}${shown}: ${first.message}` : error.message}`,
    );
    this.name = 'InvalidFilesError';
  }
}
