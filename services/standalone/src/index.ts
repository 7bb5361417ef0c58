export * from './embedded-redis.js';
export * from './local-redis.js';
export * from './ping-redis.js';
