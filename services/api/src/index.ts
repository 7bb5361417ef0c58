export { type App, type AppDeps, buildApp, DEFAULT_BODY_LIMIT } from './app.js';
export { type SseMessage, takeSseMessages } from './cli/sse.js';
export { RedisUnavailableError } from './errors/redis-unavailable.js';
export { resolveApiToken, tokenMatches } from './lib/api-token.js';
export { type RunningApi, startApi } from './server.js';
