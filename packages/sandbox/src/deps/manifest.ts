import type { Language } from '@hardfix/contracts';
import { javascriptDependencies } from './javascript.js';
import type { LanguageDependencies } from './language.js';
import { pythonDependencies } from './python.js';
import type { DeclaredPackage } from './types.js';

/** Languages with a manifest; the others (java) use their standard library only. */
const BY_LANGUAGE: Partial<Record<Language, LanguageDependencies>> = {
  python: pythonDependencies,
  javascript: javascriptDependencies,
};

export function dependenciesOf(language: Language): LanguageDependencies | undefined {
  return BY_LANGUAGE[language];
}

/** The manifest file a language declares packages in, or undefined (standard library only). */
export function manifestPath(language: Language): string | undefined {
  return BY_LANGUAGE[language]?.manifest;
}

/** What the project's manifest declares; throws ManifestError for one that cannot be read. */
export function declaredPackages(
  language: Language,
  files: readonly { path: string; content: string }[],
): DeclaredPackage[] {
  const lang = BY_LANGUAGE[language];
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
  const lang = BY_LANGUAGE[language];
  if (!lang || lines.length === 0) return [...files];
  const current = files.find((f) => f.path === lang.manifest);
  const content = lang.addRequirements(current?.content, [...lines]);
  return current
    ? files.map((f) => (f.path === lang.manifest ? { ...f, content } : f))
    : [...files, { path: lang.manifest, content }];
}
