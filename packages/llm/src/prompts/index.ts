export * from './analysis-prompt.js';
export type { FailedAttempt } from './attempts-section.js';
export { type DependencyPolicy, dependencyRule } from './format.js';
export * from './generation-prompt.js';
export * from './hard-fix-prompt.js';
export * from './project-header.js';
export * from './smart-retry-prompt.js';
export * from './strategy-tiers.js';
