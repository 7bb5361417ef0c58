import type { Language } from '@hardfix/contracts';
import { ADAPTERS, adapterOf, type DeclaredPackage, type LanguageDependencies } from '@hardfix/languages';

/** A language's manifest and installer (its adapter's); undefined: the standard library only (java, go). */
export function dependenciesOf(language: Language): LanguageDependencies | undefined {
  return adapterOf(language).dependencies;
}

/** Every package ecosystem some language installs from, once each (typescript shares javascript's npm). */
export function ecosystems(): LanguageDependencies[] {
  const all = ADAPTERS.map((a: { dependencies?: LanguageDependencies }) => a.dependencies).filter(
    (d): d is LanguageDependencies => d !== undefined,
  );
  return [...new Map(all.map((d) => [d.ecosystem, d])).values()];
}

/** The manifest file a language declares packages in, or undefined (standard library only). */
export function manifestPath(language: Language): string | undefined {
  return dependenciesOf(language)?.manifest;
}

/** What the project's manifest declares; throws ManifestError for one that cannot be read. */
export function declaredPackages(
  language: Language,
  files: readonly { path: string; content: string }[],
): DeclaredPackage[] {
  const lang = dependenciesOf(language);
  const manifest = lang && files.find((f) => f.path === lang.manifest);
  return lang && manifest ? lang.parse(manifest.content) : [];
}

/**
 * The files with requirement lines added to the manifest (created when there is none): how
 * `replace_block.dependencies` and a library fix that declares a package are applied.
 */
export function withRequirements<F extends { path: string; content: string }>(
  language: Language,
  files: readonly F[],
  lines: readonly string[],
): { path: string; content: string }[] {
  const lang = dependenciesOf(language);
  if (!lang || lines.length === 0) return [...files];
  const current = files.find((f) => f.path === lang.manifest);
  const content = lang.addRequirements(current?.content, [...lines]);
  return current
    ? files.map((f) => (f.path === lang.manifest ? { ...f, content } : f))
    : [...files, { path: lang.manifest, content }];
}
