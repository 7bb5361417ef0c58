import type { DependencyReason } from '@hardfix/languages';

// Where a manifest is read (the language adapters); re-exported with the installer's own errors.
export { ManifestError } from '@hardfix/languages';

/** The error type the program's failure carries (`Failure.type`). */
export const DEPENDENCY_ERROR = 'DependencyError';

/**
 * A declared package the service will not or cannot install: the program's error, like an import of a
 * module that does not exist. The message names the package and the reason in words.
 */
export class DependencyError extends Error {
  readonly type = DEPENDENCY_ERROR;
  constructor(
    readonly packageName: string,
    readonly reason: DependencyReason,
    message: string,
    /** The manifest and line that declares it, when it is a direct dependency. */
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'DependencyError';
  }
}

/**
 * The registry did not answer (refused, timed out, a 5xx): an infrastructure fault, never the program's.
 * The project is parked with this reason and no attempt is used.
 */
export class RegistryUnavailableError extends Error {
  readonly code = 'registry_unavailable';
  constructor(
    readonly registry: string,
    readonly detail: string,
  ) {
    super(`package registry ${registry} is unreachable: ${detail}`);
    this.name = 'RegistryUnavailableError';
  }
}
