import type { Language } from '@hardfix/contracts';
import { declaredPackages, ManifestError } from '@hardfix/sandbox';
import { badRequest } from '../errors/http-error.js';

/**
 * A manifest that arrives with files (an import, a reviewer's submission) is read at once: a bad
 * package name, a URL or option line, too many entries or too large a file is a 400 naming the line,
 * not a failed attempt later.
 */
export function checkManifest(language: Language, files: readonly { path: string; content: string }[]): void {
  try {
    declaredPackages(language, files);
  } catch (err) {
    if (err instanceof ManifestError) throw badRequest(`body.files: ${err.message}`);
    throw err;
  }
}
