export * from './candidates.js';
export * from './choose-block.js';
export * from './describe.js';
export * from './enclosing.js';
