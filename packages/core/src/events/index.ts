export * from './callback-address.js';
export * from './callback-url.js';
export * from './detect-event.js';
export * from './outbox.js';
export * from './project-events.js';
export * from './sign.js';
export * from './webhook-queue.js';
