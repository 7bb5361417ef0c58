import { statusSchema } from '@hardfix/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readStatus } from '../lib/read-status.js';
import { statusSources } from '../lib/status-sources.js';
import { errorResponses } from './error-responses.js';

const statusRoutes: FastifyPluginAsyncZod = async (app) => {
  const sources = statusSources(app);
  app.get(
    '/status',
    {
      schema: {
        tags: ['status'],
        summary: 'Queue counts, hard-fix figures, projects by status, LLM usage; read from counters only',
        response: { 200: statusSchema, ...errorResponses(503) },
      },
    },
    async () => (await readStatus(sources)).status,
  );
};

export default statusRoutes;
