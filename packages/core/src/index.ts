export * from './env.js';
export * from './keys.js';
export * from './logger.js';
export * from './lua.js';
export * from './project-store.js';
export * from './queues.js';
export * from './redis.js';
export * from './signature.js';
