/**
 * A verification that could not run the program at all: the sandbox did not start, the workspace could
 * not be written, an interpreter is missing or broken, or the self-test fails too. It is the service's
 * fault, not the program's: no attempt is used, no LLM call is made, nothing is saved to the library.
 */
export class SandboxFault extends Error {
  readonly code = 'SANDBOX_FAULT';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxFault';
  }
}
