import { currentRedisOutage, describeRedisOutage, readLlmPause, readSandboxHealth } from '@hardfix/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HttpError } from '../errors/http-error.js';
import { withTimeout } from '../lib/with-timeout.js';
import { errorResponses } from './error-responses.js';

/** A probe must answer quickly; the producer connection already fails fast, this bounds a hung socket. */
const READY_TIMEOUT_MS = 1_000;

const okSchema = z.object({ status: z.literal('ok') });
const readySchema = okSchema.extend({
  warnings: z
    .array(z.string())
    .optional()
    .describe(
      'conditions an operator must act on that do not stop this API serving (an LLM spend limit, a language whose toolchain a worker lacks)',
    ),
});

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    { schema: { tags: ['health'], summary: 'The process is up', response: { 200: okSchema } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['health'],
        summary:
          "Redis answers, and every live worker's sandbox passed its self-test (the API itself runs no code)",
        response: { 200: readySchema, ...errorResponses(503) },
      },
    },
    async () => {
      try {
        await withTimeout(
          app.redis.ping(),
          READY_TIMEOUT_MS,
          () => new Error(`PING timed out after ${READY_TIMEOUT_MS} ms`),
        );
      } catch (err) {
        // The same sentence the log says: where Redis was expected (no password), why, what to check.
        const url = app.config.REDIS_URL;
        const cause = currentRedisOutage(url)?.cause ?? (err instanceof Error ? err.message : String(err));
        throw new HttpError(503, 'redis_unavailable', describeRedisOutage(url, cause));
      }
      // A worker that cannot verify takes no jobs: projects would wait with no sign of why.
      const workers = await readSandboxHealth(app.redis, app.config.QUEUE_PREFIX);
      const reasons = workers
        .filter((w) => w.state !== 'ready')
        .flatMap((w) => w.reasons.map((r) => `worker ${w.worker}: ${r}`));
      if (reasons.length > 0)
        throw new HttpError(503, 'sandbox_unavailable', reasons.join('; '), { reasons });
      // Still ready: the API serves and library hits need no model. A 503 here would take the API out
      // of a load balancer for a billing matter; the warning says what waits and why.
      const pause = await readLlmPause(app.redis, app.config.QUEUE_PREFIX);
      // A missing toolchain disables its language only (the adapter's tools): still ready, but named.
      const disabled = workers.flatMap((w) =>
        Object.entries(w.languages)
          .filter(([, l]) => !l.installed)
          .map(([language, l]) => `worker ${w.worker}: ${language} disabled, ${l.reason ?? 'not installed'}`),
      );
      const warnings = [
        ...(pause ? [`LLM stages paused until ${pause.until}: ${pause.reason}`] : []),
        ...disabled,
      ];
      if (warnings.length > 0) return { status: 'ok' as const, warnings };
      return { status: 'ok' as const };
    },
  );
};

export default healthRoutes;
