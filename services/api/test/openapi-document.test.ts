import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { test } from './helper.js';

/** docs/openapi.json is the API reference in the repo; `pnpm docs:openapi` rewrites it from the routes. */
const DOCUMENT = resolve(import.meta.dirname, '../../../docs/openapi.json');

test('docs/openapi.json is the document the routes generate (run `pnpm docs:openapi` after changing a route)', async ({
  api,
}) => {
  const generated = `${JSON.stringify((await api.app.inject({ url: '/docs/json' })).json(), null, 2)}\n`;
  if (process.env.UPDATE_OPENAPI === '1') await writeFile(DOCUMENT, generated);
  const committed = await readFile(DOCUMENT, 'utf8').catch(() => '(missing)');
  expect(committed).toBe(generated);
});

test('the document says which routes need the token', async ({ api }) => {
  const doc = (await api.app.inject({ url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, { security?: unknown }>>;
  };
  const open = ['/health', '/ready', '/status', '/metrics'];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (open.includes(path)) expect(op.security, `${method} ${path}`).toBeUndefined();
      else expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
    }
  }
});
