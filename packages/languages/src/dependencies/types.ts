/** A package a manifest declares: its name as written, and the pinned version when there is one. */
export interface DeclaredPackage {
  name: string;
  version?: string;
  /** npm: a range that is not one exact version (`^4.17.0`). */
  range?: string;
  /** 1-based line of the manifest that declares it (for the error's location). */
  line: number;
}

/** One package of a resolved set: everything that gets installed, transitive dependencies included. */
export interface ResolvedPackage {
  name: string;
  version: string;
}

/** A cache entry as the sandbox mounts it: read-only, at a fixed path, with the variables that find it. */
export interface DependencyMount {
  /** Host directory of the cache entry. */
  hostPath: string;
  /** Environment for every step, given where the entry is visible to the program. */
  env: (visiblePath: string) => Record<string, string>;
  /** Symlinks in the workspace to paths inside the entry (node_modules, which ESM `import` needs). */
  links?: { workspacePath: string; target: string }[];
}

/** The package is the program's mistake: shown to the next prompt like any error. */
export type DependencyReason =
  | 'not allowed'
  | 'does not exist'
  | 'no wheel'
  | 'invalid manifest'
  | 'too large'
  | 'install failed';

export interface RegistryCheck {
  /** What answered for this package. */
  state: 'found' | 'missing' | 'no-wheel' | 'no-version' | 'unreachable';
  /** For `unreachable`: what went wrong, in words. */
  detail?: string;
}
