import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { LANGUAGES, PROJECT_STATUSES } from '@hardfix/contracts';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

/** Where the review console is served; its files are open (they hold no project data). */
export const CONSOLE_PATH = '/ui/';
export const isConsolePath = (url: string) => url === '/ui' || url.startsWith(CONSOLE_PATH);

/**
 * The page's own files and nothing else: no inline script or style, no other origin, no plugins, no
 * framing. A project string that slipped into the page as HTML still could not run as script.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Plain ES modules and CSS next to this code (src/ui, copied to dist/ui by the build): nothing to
 * compile, so what runs in the browser is what is in the repository.
 */
const root = fileURLToPath(new URL('../../ui/', import.meta.url));

function secure(reply: FastifyReply) {
  reply.header('content-security-policy', CONSOLE_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  // The token is in sessionStorage, not a cookie, so caching the static files leaks nothing; no-cache
  // still makes an upgraded server's page and scripts arrive together.
  reply.header('cache-control', 'no-cache');
}

/** The review console (docs/architecture.md, "The review console"): every datum it shows comes from the token-protected API. */
export default fp(
  async (app) => {
    await app.register(fastifyStatic, {
      root,
      // Without the slash, so /ui itself is a route: a redirect to /ui/ (see `redirect`).
      prefix: '/ui',
      decorateReply: false,
      index: 'index.html',
      // /ui answers with a redirect to /ui/, so relative script paths resolve under it.
      redirect: true,
    });
    // The one module the server writes: the names the API takes (languages from the adapter registry,
    // project statuses), so the page's filters follow the contracts without an edit here.
    const contracts = [
      `export const LANGUAGES = ${JSON.stringify(LANGUAGES)};`,
      `export const PROJECT_STATUSES = ${JSON.stringify(PROJECT_STATUSES)};`,
      '',
    ].join('\n');
    app.get('/ui/contracts.js', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').send(contracts),
    );
    // Every answer under /ui (files, 404s, the redirect) carries the policy.
    app.addHook('onSend', async (request, reply) => {
      if (isConsolePath(request.url)) secure(reply);
    });
  },
  { name: 'console' },
);
