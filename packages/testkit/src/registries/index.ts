export * from './build-packages.js';
export * from './npm-registry.js';
export * from './python-index.js';
export * from './serve-registry.js';
