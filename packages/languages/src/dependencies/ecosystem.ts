import type { ToolRun } from './run-tool.js';
import type { DeclaredPackage, DependencyMount, RegistryCheck, ResolvedPackage } from './types.js';

/** What a per-language installer is given: the operator's registry and the limits. */
export interface InstallContext {
  /** PIP_INDEX_URL / NPM_CONFIG_REGISTRY, or the tool's own default. */
  registry: string;
  timeoutMs: number;
  /** A scratch directory of this run, removed afterwards. */
  scratch: string;
  /** The sandbox's python, so wheels fit the interpreter that imports them. */
  python3: string;
}

/**
 * The pip / npm specifics (an adapter's `dependencies`); everything else (allowlist, cache, outcomes) is
 * language-independent (the sandbox's deps/installer.ts). No method may run code from a package.
 */
export interface LanguageDependencies {
  /** The package ecosystem's name (`pypi`, `npm`): two languages that share one share its registry. */
  readonly ecosystem: string;
  /** The manifest file at the project's root. */
  readonly manifest: string;
  /** The variable that names the registry, for messages. */
  readonly registryVariable: string;
  readonly defaultRegistry: string;
  /** Throws ManifestError naming the problem. */
  parse(content: string): DeclaredPackage[];
  /** The form two spellings of one package share (PEP 503 for python). */
  normalize(name: string): string;
  /** The manifest with these requirement lines added (a name already declared is replaced). */
  addRequirements(content: string | undefined, lines: string[]): string;
  /** Resolves and installs the declared packages, with what they depend on, into `dir`. */
  install(ctx: InstallContext, declared: DeclaredPackage[], dir: string): Promise<ToolRun>;
  /** What an install put in `dir`: every package and version (the cache's key). */
  installed(dir: string): Promise<ResolvedPackage[]>;
  /** Asks the registry about one declared package, to name why a resolution failed. */
  check(ctx: InstallContext, pkg: DeclaredPackage): Promise<RegistryCheck>;
  /** A URL that answers when the registry is up (for /ready). */
  healthUrl(registry: string): string;
  mount(dir: string): DependencyMount;
  /** How the prompts state the policy: what "standard library" means here, and how to declare a package. */
  readonly prompt: { readonly what: string; readonly how: string };
}

export const MAX_MANIFEST_BYTES = 16 * 1024;
export const MAX_DECLARED = 50;
