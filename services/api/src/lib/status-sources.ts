import { readLlmPause, readSandboxHealth } from '@hardfix/core';
import type { FastifyInstance } from 'fastify';
import type { StatusSources } from './read-status.js';

/** Where the app's status comes from; /status and /metrics read the same sources. */
export function statusSources(app: FastifyInstance): StatusSources {
  return {
    queues: app.queues,
    manualQueue: app.manualQueue,
    counters: () => app.projectStore.counters(),
    llmConfigured: Boolean(app.config.ANTHROPIC_API_KEY),
    llmModel: app.config.LLM_MODEL,
    llmPause: () => readLlmPause(app.redis, app.config.QUEUE_PREFIX),
    sandboxMode: app.config.SANDBOX_MODE,
    workersSandbox: () => readSandboxHealth(app.redis, app.config.QUEUE_PREFIX),
  };
}
