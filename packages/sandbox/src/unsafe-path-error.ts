/** A project file path that would leave the workspace (absolute, `..`, NUL, ...). */
export class UnsafePathError extends Error {
  readonly code = 'SANDBOX_UNSAFE_PATH';

  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`Unsafe project file path ${JSON.stringify(path)}: ${reason}`);
    this.name = 'UnsafePathError';
  }
}
