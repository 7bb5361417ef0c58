/** One package ecosystem as the allowlist needs it: its name (`pypi`, `npm`) and its name normal form. */
export interface AllowlistEcosystem {
  ecosystem: string;
  normalize: (name: string) => string;
}

interface Entry {
  /** Undefined: the name is allowed in every ecosystem. */
  ecosystem: string | undefined;
  name: string;
}

/**
 * DEPENDENCY_ALLOWLIST: `*` (any package) or a comma list of names, each bare (allowed in every
 * ecosystem) or scoped to one (`pypi:requests`, `npm:left-pad`): the same name is often two unrelated
 * packages (PyPI's `requests` and npm's), so a team allowing one need not allow the other. Names
 * compare in their ecosystem's normal form (PEP 503 for pypi, lower case for npm), so `pillow` allows
 * `Pillow`. Only the declared (direct) packages are checked: what an allowed package itself depends on
 * is installed with it.
 */
export class Allowlist {
  private readonly entries: Entry[] | undefined;

  constructor(
    readonly raw: string,
    private readonly ecosystems: readonly AllowlistEcosystem[],
  ) {
    const list = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.length === 0 || list.includes('*')) {
      this.entries = undefined;
      return;
    }
    this.entries = list.map((item) => {
      const scoped = /^([a-z0-9]+):(.+)$/.exec(item);
      if (!scoped) return { ecosystem: undefined, name: item };
      const [, ecosystem = '', name = ''] = scoped;
      if (!ecosystems.some((e) => e.ecosystem === ecosystem))
        throw new Error(
          `DEPENDENCY_ALLOWLIST: "${item}" names no package ecosystem this service installs from (${ecosystems.map((e) => e.ecosystem).join(', ')}); write ${ecosystems.map((e) => `${e.ecosystem}:${name}`).join(' or ')}, or ${name} for all`,
        );
      return { ecosystem, name };
    });
  }

  get any(): boolean {
    return this.entries === undefined;
  }

  /** Every entry as listed (for /status); empty when any package is allowed. */
  get listed(): string[] {
    return (this.entries ?? []).map((e) => (e.ecosystem ? `${e.ecosystem}:${e.name}` : e.name));
  }

  /** The names one ecosystem allows, without their scope (for its prompts and messages). */
  listedFor(ecosystem: string): string[] {
    return (this.entries ?? [])
      .filter((e) => e.ecosystem === undefined || e.ecosystem === ecosystem)
      .map((e) => e.name);
  }

  allows(name: string, ecosystem: string): boolean {
    if (this.entries === undefined) return true;
    const normalize = this.ecosystems.find((e) => e.ecosystem === ecosystem)?.normalize ?? ((n: string) => n);
    return this.entries.some(
      (e) =>
        (e.ecosystem === undefined || e.ecosystem === ecosystem) && normalize(e.name) === normalize(name),
    );
  }
}
