/**
 * DEPENDENCY_ALLOWLIST: `*` (any package) or a comma list of names. Names compare in each language's
 * normal form (PEP 503 for python, lower case for npm), so `pillow` allows `Pillow`. Only the declared
 * (direct) packages are checked: what an allowed package itself depends on is installed with it.
 */
export class Allowlist {
  private readonly names: Set<string> | undefined;

  constructor(
    readonly raw: string,
    normalizers: ((name: string) => string)[],
  ) {
    const list = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    this.names =
      list.length === 0 || list.includes('*')
        ? undefined
        : new Set(list.flatMap((n) => normalizers.map((f) => f(n))));
  }

  get any(): boolean {
    return this.names === undefined;
  }

  /** The names as listed (for prompts and messages); empty when any package is allowed. */
  get listed(): string[] {
    return this.any
      ? []
      : this.raw
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  }

  allows(name: string, normalize: (name: string) => string): boolean {
    return this.names === undefined || this.names.has(normalize(name));
  }
}
