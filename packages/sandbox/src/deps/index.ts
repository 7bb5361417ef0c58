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
export { MAX_DECLARED, MAX_MANIFEST_BYTES } from './language.js';
export { declaredPackages, dependenciesOf, manifestPath, withRequirements } from './manifest.js';
export type * from './types.js';
