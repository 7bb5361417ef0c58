import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { tokenMatches } from '../../lib/api-token.js';

/** Where the board lives; the bearer check of write routes leaves this path to the board's own login. */
export const BOARD_PATH = '/admin/queues';

export interface BullBoardOptions {
  /** Every stage queue and the webhooks queue. */
  queues: Queue[];
  apiToken: string;
}

/**
 * Bull Board over every stage queue and the webhooks queue, behind HTTP basic auth (any user name, password = API_TOKEN): a
 * browser can log in to it, which a bearer token does not allow. Everything under the path — the page,
 * its assets and its JSON API (retry, promote, clean…) — needs the login.
 */
export default fp<BullBoardOptions>(
  async (app, { queues, apiToken }) => {
    const serverAdapter = new FastifyAdapter().setBasePath(BOARD_PATH);
    createBullBoard({
      queues: queues.map((queue) => new BullMQAdapter(queue)),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Hard Fix' } },
    });

    await app.register(async (board) => {
      // Answered here rather than thrown: the board installs its own error handler for its routes.
      board.addHook('onRequest', async (request, reply) => {
        if (loggedIn(request, apiToken)) return;
        return reply.code(401).header('WWW-Authenticate', 'Basic realm="hardfix", charset="UTF-8"').send({
          error: 'unauthorized',
          message: 'log in with any user name and the API token as password',
        });
      });
      await board.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
    });
  },
  { name: 'bull-board', dependencies: ['auth'] },
);

function loggedIn(request: FastifyRequest, apiToken: string): boolean {
  const match = /^Basic\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && tokenMatches(decoded.slice(colon + 1), apiToken);
}
