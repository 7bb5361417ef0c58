export * from './anthropic-client.js';
export * from './errors.js';
export * from './llm-client.js';
export type { Logger as LlmLogger } from './logger.js';
export { mapSdkError, retryAfterMsFrom } from './map-sdk-error.js';
export * from './not-configured-client.js';
export * from './prices.js';
export * from './prompts/index.js';
