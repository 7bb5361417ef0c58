export type {
  DeclaredPackage,
  DependencyMount,
  DependencyReason,
  RegistryCheck,
  ResolvedPackage,
} from '@hardfix/languages';
export { MAX_DECLARED, MAX_MANIFEST_BYTES } from '@hardfix/languages';
export { Allowlist } from './allowlist.js';
export { type CacheStats, DependencyCache } from './cache.js';
export { DEPENDENCY_ERROR, DependencyError, ManifestError, RegistryUnavailableError } from './errors.js';
export {
  createDependencyInstaller,
  type DependencyHealth,
  type DependencyInstaller,
  type DependencyInstallerOptions,
  type PreparedDependencies,
  type RegistryHealth,
} from './installer.js';
export { declaredPackages, dependenciesOf, ecosystems, manifestPath, withRequirements } from './manifest.js';
