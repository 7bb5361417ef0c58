import {
  type Env,
  FixLibrary,
  type Logger,
  type ManualQueue,
  ProjectEvents,
  type ProjectStore,
  type StageQueues,
  type WebhookQueue,
} from '@hardfix/core';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import auth from './plugins/app/auth.js';
import bullBoard from './plugins/app/bull-board.js';
import reviewConsole from './plugins/app/console.js';
import errorHandler from './plugins/app/error-handler.js';
import services from './plugins/app/services.js';
import swagger from './plugins/external/swagger.js';
import eventRoutes from './routes/events.js';
import fixRoutes from './routes/fixes.js';
import healthRoutes from './routes/health.js';
import metricsRoutes from './routes/metrics.js';
import projectRoutes from './routes/projects.js';
import reviewRoutes from './routes/review.js';
import statusRoutes from './routes/status.js';

/** Imported projects carry up to MAX_FILES files; 5 MiB is room for a real project, not for abuse. */
export const DEFAULT_BODY_LIMIT = 5 * 1024 * 1024;

export interface AppDeps {
  env: Env;
  /** A producer connection (fails fast), so a request answers 503 instead of hanging when Redis is down. */
  redis: Redis;
  store: ProjectStore;
  queues: StageQueues;
  /** Shown in Bull Board beside the stage queues (the worker fills and drains it). */
  webhookQueue?: WebhookQueue;
  /** Where reviewers' fixes (POST /review/:id/resolve) go for a worker to verify; the API runs no code. */
  manualQueue: ManualQueue;
  logger: Logger;
  /** Bearer token required by every write endpoint. */
  apiToken: string;
  /** @defaultValue DEFAULT_BODY_LIMIT */
  bodyLimit?: number;
}

/**
 * The HTTP app, not yet listening. It does not own its dependencies: whoever created the Redis
 * connection and queues closes them after `app.close()`.
 */
export function buildApp(deps: AppDeps) {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a text/plain body would reach validation as a string and get a confusing message.
  app.removeContentTypeParser('text/plain');

  app.register(errorHandler, { redis: deps.redis });
  // The library and the events are only views over Redis keys; they own nothing that needs closing.
  app.register(services, {
    ...deps,
    library: new FixLibrary(deps.redis, deps.env.QUEUE_PREFIX),
    events: new ProjectEvents(deps.redis, deps.env.QUEUE_PREFIX),
  });
  app.register(auth, { apiToken: deps.apiToken });
  app.register(swagger);

  app.register(healthRoutes);
  app.register(statusRoutes);
  app.register(metricsRoutes);
  app.register(projectRoutes);
  app.register(eventRoutes, { logger: deps.logger });
  app.register(fixRoutes);
  app.register(reviewRoutes, { logger: deps.logger });
  app.register(reviewConsole);
  app.register(bullBoard, {
    queues: [
      ...Object.values(deps.queues),
      deps.manualQueue,
      ...(deps.webhookQueue ? [deps.webhookQueue] : []),
    ],
    apiToken: deps.apiToken,
  });
  return app;
}

export type App = ReturnType<typeof buildApp>;
