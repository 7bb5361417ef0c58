export type { LanguageAdapter } from './adapter.js';
export { defineAdapter } from './adapter.js';
export type { InstallContext, LanguageDependencies } from './dependencies/ecosystem.js';
export { MAX_DECLARED, MAX_MANIFEST_BYTES } from './dependencies/ecosystem.js';
export { ManifestError } from './dependencies/manifest-error.js';
export { probeUrl, runTool, type ToolRun } from './dependencies/run-tool.js';
export type * from './dependencies/types.js';
export type { ParseContext, ParsedError } from './parse-types.js';
export type { PlanContext, PlannedStep, VerifyPlan } from './plan.js';
export { hasFile, heapMiB } from './plan.js';
export { toProjectPath } from './project-paths.js';
export {
  ADAPTERS,
  adapterOf,
  canonicalLanguage,
  DEPENDENCY_ECOSYSTEMS,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
  languageOfPath,
  perLanguage,
  TOOLS,
  type ToolName,
  toolsOf,
} from './registry.js';
export { TRACE_MARK } from './trace-mark.js';
export type { CodeBlock, SourceFile, TestCounts, VerifyPhase } from './types.js';
export { TEST_MARK } from './types.js';
