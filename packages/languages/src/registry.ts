import type { LanguageAdapter } from './adapter.js';
import { go } from './go/index.js';
import { java } from './java/index.js';
import { javascript } from './javascript/index.js';
import { python } from './python/index.js';
import { typescript } from './typescript/index.js';

/**
 * Every language the system generates, verifies and repairs: one line per adapter, in the order the
 * docs, /status and the metrics list them. Adding a language is its folder and its line here.
 */
export const ADAPTERS = [
  python,
  javascript,
  java,
  typescript,
  go,
] as const satisfies readonly LanguageAdapter[];

/** A language's canonical name, derived from the registry. */
export type Language = (typeof ADAPTERS)[number]['id'];

/** The canonical names, in registry order (the API's enum). */
export const LANGUAGES = ADAPTERS.map((a) => a.id) as unknown as readonly [Language, ...Language[]];

const BY_NAME = new Map<string, LanguageAdapter<Language>>(
  ADAPTERS.flatMap((a) => [a.id, ...a.aliases].map((name) => [name, a] as const)),
);

/** The adapter of a canonical language name. Throws for an unknown one: callers hold a parsed Language. */
export function adapterOf(language: Language): LanguageAdapter<Language> {
  const adapter = BY_NAME.get(language);
  if (!adapter || adapter.id !== language) throw new Error(`unknown language ${JSON.stringify(language)}`);
  return adapter;
}

/** The canonical language of a name or alias (`py`, ` JavaScript `), or undefined when none has it. */
export function canonicalLanguage(value: string): Language | undefined {
  return BY_NAME.get(value.trim().toLowerCase())?.id;
}

/** Every name accepted on input, short ones first, for error messages: "py, js, java, python, javascript". */
export const LANGUAGE_NAMES: readonly string[] = [
  ...new Set([
    ...ADAPTERS.map((a) => a.aliases[0] ?? a.id),
    ...ADAPTERS.flatMap((a) => [a.id, ...a.aliases]),
  ]),
];

/** A table with one entry per language, read from the adapters (for callers that want a lookup object). */
export function perLanguage<T>(pick: (adapter: LanguageAdapter<Language>) => T): {
  readonly [L in Language]: T;
} {
  return Object.fromEntries(ADAPTERS.map((a) => [a.id, pick(a)])) as { readonly [L in Language]: T };
}

/** The name of a tool some language runs: python3, node, java, javac, … */
export type ToolName = ToolsOf<(typeof ADAPTERS)[number]>;
type ToolsOf<A> = A extends { toolchain: { tools: infer R } } ? keyof R & string : never;

/** Every tool any language runs, name → default path (the sandbox resolves and checks each). */
export const TOOLS = Object.assign({}, ...ADAPTERS.map((a) => a.toolchain.tools)) as Readonly<
  Record<ToolName, string>
>;

/** The package ecosystems declared dependencies come from (`pypi`, `npm`): the allowlist's scopes. */
export const DEPENDENCY_ECOSYSTEMS: readonly string[] = [
  ...new Set(
    ADAPTERS.flatMap((a: { dependencies?: { ecosystem: string } }) =>
      a.dependencies ? [a.dependencies.ecosystem] : [],
    ),
  ),
];

/** The tools a language needs: it is disabled, alone, when one of them is missing. */
export function toolsOf(language: Language): ToolName[] {
  return Object.keys(adapterOf(language).toolchain.tools) as ToolName[];
}

const BY_EXTENSION = new Map<string, Language>(
  ADAPTERS.flatMap((a) => a.files.extensions.map((ext) => [ext, a.id] as const)),
);

/** The language whose source a file is (`src/calc.py` → python), by its extension (as path.extname). */
export function languageOfPath(path: string): Language | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? BY_EXTENSION.get(name.slice(dot)) : undefined;
}
