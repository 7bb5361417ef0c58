export * from './anchor.js';
export * from './bounded-diff.js';
export * from './edit-pattern.js';
export * from './export-format.js';
export * from './fix-patch.js';
export * from './import-placement.js';
export * from './store.js';
export * from './types.js';
