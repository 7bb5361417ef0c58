export * from './deps.js';
export * from './main-worker.js';
export * from './worker.js';
