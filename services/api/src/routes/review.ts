import {
  abandonedSchema,
  abandonReviewBodySchema,
  acceptedSchema,
  projectIdParamsSchema,
  resolvedSchema,
  resolveReviewBodySchema,
  reviewPageSchema,
  reviewQuerySchema,
  verificationFailedBodySchema,
} from '@hardfix/contracts';
import type { Logger } from '@hardfix/core';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { abandonReview } from '../lib/review/abandon-review.js';
import { listReview } from '../lib/review/list-review.js';
import { resolveReview } from '../lib/review/resolve-review.js';
import { retryReview } from '../lib/review/retry-review.js';
import type { ReviewDeps } from '../lib/review/review-deps.js';
import { errorResponses } from './error-responses.js';

function reviewDeps(app: FastifyInstance, logger: Logger): ReviewDeps {
  return {
    env: app.config,
    redis: app.redis,
    store: app.projectStore,
    queues: app.queues,
    manualQueue: app.manualQueue,
    logger,
  };
}

/** Manual review: projects whose hard-fix attempts are exhausted, and what a person can do with them. */
export interface ReviewRoutesOptions {
  /** The app's logger as core's type: delivery and the library log through it. */
  logger: Logger;
}

const reviewRoutes: FastifyPluginAsyncZod<ReviewRoutesOptions> = async (app, { logger }) => {
  const deps = reviewDeps(app, logger);

  app.get(
    '/review',
    {
      schema: {
        tags: ['review'],
        summary: 'Projects waiting for manual review, newest first',
        querystring: reviewQuerySchema,
        response: { 200: reviewPageSchema, ...errorResponses(400, 503) },
      },
    },
    async (request) => listReview(app.projectStore, request.query.limit, request.query.cursor),
  );

  app.post(
    '/review/:id/retry',
    {
      schema: {
        tags: ['review'],
        summary: 'Send the project back to hard fix with a fresh attempt budget',
        params: projectIdParamsSchema,
        response: { 202: acceptedSchema, ...errorResponses(400, 401, 404, 409, 503) },
      },
    },
    async (request, reply) => reply.code(202).send(await retryReview(deps, request.params.id)),
  );

  app.post(
    '/review/:id/resolve',
    {
      schema: {
        tags: ['review'],
        summary:
          'Submit fixed files: a worker verifies them, then they are delivered and saved to the library, or 422; 503 when no worker can verify them',
        params: projectIdParamsSchema,
        body: resolveReviewBodySchema,
        response: {
          200: resolvedSchema,
          422: verificationFailedBodySchema,
          ...errorResponses(400, 401, 404, 409, 413, 415, 503),
        },
      },
    },
    async (request) => resolveReview(deps, request.params.id, request.body),
  );

  app.post(
    '/review/:id/abandon',
    {
      schema: {
        tags: ['review'],
        summary: 'Give up on the project; the reason is kept',
        params: projectIdParamsSchema,
        body: abandonReviewBodySchema,
        response: { 200: abandonedSchema, ...errorResponses(400, 401, 404, 409, 413, 415, 503) },
      },
    },
    async (request) => abandonReview(deps, request.params.id, request.body.reason),
  );
};

export default reviewRoutes;
