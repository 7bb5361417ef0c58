import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { HttpError } from '../../errors/http-error.js';
import { isRedisUnavailable } from '../../errors/redis-unavailable.js';
import { describeValidation } from '../../lib/describe-validation.js';

export interface ErrorHandlerOptions {
  redis: Redis;
}

interface Answer {
  status: number;
  error: string;
  message: string;
  details?: Record<string, unknown>;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/**
 * The one place that turns an error into `{ error, message }`. Client mistakes are explained;
 * anything unexpected becomes a bare 500 whose details only go to the log.
 */
function classify(err: FastifyError, redis: Redis): Answer {
  if (err instanceof HttpError)
    return {
      status: err.statusCode,
      error: err.code,
      message: err.message,
      ...(err.details ? { details: err.details } : {}),
    };
  if (hasZodFastifySchemaValidationErrors(err))
    return { status: 400, error: 'invalid_request', message: describeValidation(err) };
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, error: 'payload_too_large', message: 'request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, error: 'unsupported_media_type', message: 'send the body as application/json' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, error: 'invalid_request', message: 'body: is not valid JSON' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, error: 'invalid_request', message: 'body: must not be empty' };
  }
  // Other framework errors with a client status (bad content-length, ...) carry a safe message.
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return { status, error: CODE_BY_STATUS[status] ?? 'invalid_request', message: err.message };
  if (isRedisUnavailable(err, redis))
    return { status: 503, error: 'redis_unavailable', message: 'Redis is unavailable; retry later' };
  return { status: 500, error: 'internal', message: 'internal error' };
}

export default fp<ErrorHandlerOptions>(
  async (app, { redis }) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const answer = classify(err, redis);
      // The outage itself is logged by the connection, once per REDIS_DOWN_LOG_MS: not once per request.
      if (answer.error === 'redis_unavailable')
        request.log.debug({ err: err.message }, 'request failed: Redis unavailable');
      else if (answer.status === 503)
        request.log.warn({ err: err.message }, `request failed: ${answer.error}`);
      else if (answer.status >= 500) request.log.error({ err }, `request failed: ${answer.error}`);
      else request.log.info({ error: answer.error, reason: answer.message }, 'request rejected');
      const { status, ...body } = answer;
      return reply.code(status).send(body);
    });

    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send({
        error: 'not_found',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
      }),
    );
  },
  { name: 'error-handler' },
);
