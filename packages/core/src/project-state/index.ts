export * from './move-project.js';
export * from './next-step.js';
export * from './states.js';
export * from './transitions.js';
