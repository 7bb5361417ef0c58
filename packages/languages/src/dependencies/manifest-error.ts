/** A manifest that cannot be read (a bad name, too long, too many entries): refused on arrival with a 400. */
export class ManifestError extends Error {
  readonly code = 'invalid_manifest';
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}
