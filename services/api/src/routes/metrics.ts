import { createDurationMetrics } from '@hardfix/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createMetricsRegistry } from '../lib/metrics/metrics-registry.js';
import { statusSources } from '../lib/status-sources.js';
import { errorResponses } from './error-responses.js';

const metricsRoutes: FastifyPluginAsyncZod = async (app) => {
  const metrics = createMetricsRegistry(
    statusSources(app),
    createDurationMetrics(app.redis, app.config.QUEUE_PREFIX),
  );
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['status'],
        summary: 'The /status figures, duration histograms and Node process metrics for Prometheus',
        produces: ['text/plain'],
        response: { 200: z.string(), ...errorResponses(503) },
      },
    },
    async (_request, reply) => {
      const body = await metrics.render();
      return reply.type(metrics.registry.contentType).send(body);
    },
  );
};

export default metricsRoutes;
