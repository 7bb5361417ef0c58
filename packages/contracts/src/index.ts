export * from './api.js';
export * from './fixes.js';
export * from './llm-tools.js';
export * from './names.js';
export * from './project.js';
export * from './queues.js';
export * from './status.js';
export * from './test-files.js';
