import { createHash } from 'node:crypto';

/** Bumped whenever normalisation changes, and stored with each fix so old fixes are not orphaned. */
export const SIGNATURE_VERSION = 1;

/**
 * Reduces an error message to what decides its fix, so the same mistake in two projects gets the same
 * signature: paths, line/column numbers, addresses and numbers are replaced with placeholders, while
 * identifiers (the missing name in "name 'Image' is not defined", the missing module) are kept.
 */
export function normaliseErrorMessage(message: string): string {
  return (
    message
      // Only the first line carries the error; later lines are context that varies by project.
      .split('\n')[0]
      ?.trim()
      // Absolute or relative file paths with an extension (before numbers, which they may contain).
      .replace(/(?:[A-Za-z]:)?(?:[\w.-]*[/\\])+[\w.-]+\.\w+/g, '<path>')
      .replace(/\b[\w-]+\.(?:py|js|mjs|cjs|ts|java|class|jar)\b/g, '<path>')
      .replace(/\b0x[0-9a-fA-F]+\b/g, '<addr>')
      .replace(/\bline \d+/gi, 'line <n>')
      .replace(/:\d+(?::\d+)?\b/g, ':<n>')
      .replace(/\b\d+(?:\.\d+)?\b/g, '<n>')
      .replace(/\s+/g, ' ') ?? ''
  );
}

export interface SignatureInput {
  language: string;
  type: string;
  message: string;
}

/** MD5 over the normalised error: a stable key for the proven-fix library (not a security hash). */
export function errorSignature({ language, type, message }: SignatureInput): string {
  const normalised = `${SIGNATURE_VERSION}|${language}|${type}|${normaliseErrorMessage(message)}`;
  return createHash('md5').update(normalised).digest('hex');
}
