export * from './answers.js';
export * from './bull-job.js';
export * from './fake-anthropic.js';
export * from './fake-anthropic-types.js';
export * from './free-port.js';
export * from './oracle.js';
export * from './redis-cluster.js';
export * from './redis-fixture.js';
export * from './registries/index.js';
export {
  parseBlockCode,
  parseLanguage,
  parseProjectName,
  parseRequestText,
  simulatedClaude,
  simulatedProgram,
} from './simulated-claude.js';
export * from './use-redis.js';
export * from './verify-memo.js';
