/** The requested isolation mode cannot run on this host. */
export class SandboxUnavailableError extends Error {
  readonly code = 'SANDBOX_UNAVAILABLE';

  constructor(message: string) {
    super(message);
    this.name = 'SandboxUnavailableError';
  }
}
