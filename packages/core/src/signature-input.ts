/** What an error signature is computed from. */
export interface SignatureInput {
  language: string;
  type: string;
  message: string;
  /**
   * Where an unspecific error happened (see `isSpecificError`): the failing function and line. Such an
   * error (an assertion, an NPE naming no member) says nothing about the mistake by itself, so its
   * signature includes the scope, and without one it is not reusable at all.
   */
  scope?: string | undefined;
}
