export * from './export-format.js';
export * from './fix-patch.js';
export * from './store.js';
export * from './types.js';
