import type { ServerResponse } from 'node:http';
import { createRedisClient, keys, type Logger } from '@hardfix/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, HttpError } from '../errors/http-error.js';
import { currentEnd, IdleClientError, pipeEvents, STREAM_ID } from '../lib/event-stream.js';
import { errorResponses } from './error-responses.js';

const eventsQuerySchema = z.object({
  /** For clients that cannot set Last-Event-ID (curl can): resume after this outbox position. */
  after: z.string().regex(STREAM_ID, 'must be an event position as sent in `id:`').optional(),
});

const eventRoutes: FastifyPluginAsyncZod<{ logger: Logger }> = async (app, { logger }) => {
  const stream = keys(app.config.QUEUE_PREFIX).events;
  const open = new Set<ServerResponse>();
  // A stream never ends by itself; without this, closing the server would wait for every client.
  app.addHook('preClose', async () => {
    for (const out of open) out.end();
  });

  app.get(
    '/events',
    {
      onRequest: app.requireToken,
      schema: {
        tags: ['projects'],
        summary:
          'Server-Sent Events: every project event (delivered, manual review, abandoned, parked) as it happens; resume with Last-Event-ID',
        querystring: eventsQuerySchema,
        response: {
          200: z.string().describe('text/event-stream'),
          ...errorResponses(400, 401, 503),
        },
      },
    },
    async (request, reply) => {
      const header = request.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header)?.trim() || request.query.after;
      if (lastEventId !== undefined && !STREAM_ID.test(lastEventId))
        throw badRequest('headers.last-event-id: must be an event position as sent in `id:`');
      // Each stream holds a Redis connection (its blocking XREAD); past the cap a client comes back later.
      const max = app.config.EVENTS_MAX_STREAMS;
      if (open.size >= max) {
        reply.header('retry-after', '5');
        throw new HttpError(
          503,
          'too_many_streams',
          `at most ${max} event streams at once (EVENTS_MAX_STREAMS); retry later`,
        );
      }
      const from = lastEventId ?? (await currentEnd(app.redis, stream));

      const reader = createRedisClient(app.config.REDIS_URL, 'worker', logger, 'events-sse');
      reply.hijack();
      const out = reply.raw;
      open.add(out);
      out.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        // nginx would otherwise buffer the stream and deliver events in bursts.
        'x-accel-buffering': 'no',
      });
      out.write(': hard fix events\n\n');
      try {
        await pipeEvents(reader, stream, from, out, app.config.EVENTS_IDLE_MS);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (err instanceof IdleClientError) request.log.info({ reason: message }, 'event stream closed');
        else request.log.warn({ err: message }, 'event stream broken');
        // A client that takes nothing would also never take the end of the stream.
        out.destroy();
      } finally {
        open.delete(out);
        reader.disconnect();
        if (!out.writableEnded) out.end();
      }
    },
  );
};

export default eventRoutes;
