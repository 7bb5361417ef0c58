import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../../errors/http-error.js';
import { tokenMatches } from '../../lib/api-token.js';
import { BOARD_PATH } from './bull-board.js';
import { isConsolePath } from './console.js';

export interface AuthOptions {
  apiToken: string;
}

/**
 * Routes any dashboard or probe may read. Everything else (project, review and fix routes, reads
 * too: they carry generated code and its error output) needs the token.
 */
const OPEN_PATHS = ['/health', '/ready', '/status', '/metrics'];
const isOpen = (url: string) =>
  OPEN_PATHS.includes(url) ||
  url === '/docs' ||
  url.startsWith('/docs/') ||
  url === '*' ||
  // The review console's static files: a page and its scripts, no project data (it fetches that with the token).
  isConsolePath(url);

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook that answers 401 unless the request carries `Authorization: Bearer <API_TOKEN>`. */
    requireToken: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/**
 * Every route but the open ones gets the token check as its first hook, so a route added later cannot
 * forget it, and an unauthenticated body is rejected before it is read or validated.
 * Must be registered before the routes it protects.
 */
export default fp<AuthOptions>(
  async (app, { apiToken }) => {
    const requireToken = async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (!match?.[1]) throw new HttpError(401, 'unauthorized', 'missing Authorization: Bearer <API_TOKEN>');
      if (!tokenMatches(match[1], apiToken)) throw new HttpError(401, 'unauthorized', 'wrong API token');
    };
    app.decorate('requireToken', requireToken);

    app.addHook('onRoute', (route) => {
      // Bull Board's routes answer to its own basic-auth login (see bull-board.ts).
      if (route.url.startsWith(BOARD_PATH) || isOpen(route.url)) return;
      // The OpenAPI document says which routes need the token.
      if (route.schema) route.schema = { ...route.schema, security: [{ bearerAuth: [] }] };
      const existing = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [requireToken, ...existing];
    });
  },
  { name: 'auth' },
);
