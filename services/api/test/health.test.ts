import { publishSandboxHealth } from '@hardfix/core';
import { describe, expect } from 'vitest';
import { AUTH, createBody, startTestApi, test } from './helper.js';

/** A port nothing listens on: the producer connection is refused at once. */
const DEAD_REDIS = 'redis://127.0.0.1:1';

describe('health and readiness', () => {
  test('GET /health answers ok', async ({ api }) => {
    const res = await api.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  test('GET /ready answers ok when Redis answers', async ({ api }) => {
    const res = await api.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  test('GET /ready stays ok but names a language a worker cannot run (its toolchain is missing)', async ({
    api,
  }) => {
    const at = new Date().toISOString();
    await publishSandboxHealth(
      api.redis,
      api.fixture.prefix,
      {
        worker: 'w1',
        state: 'ready',
        reasons: [],
        mode: 'bubblewrap',
        languages: {
          python: { ok: true, installed: true, durationMs: 5, at },
          java: {
            ok: false,
            installed: false,
            reason: 'not installed: javac (/usr/bin/javac)',
            durationMs: 0,
            at,
          },
        },
      },
      60_000,
    );
    const res = await api.app.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      warnings: ['worker w1: java disabled, not installed: javac (/usr/bin/javac)'],
    });
  });

  test('GET /ready answers 503 redis_unavailable quickly when Redis is unreachable', async () => {
    const down = await startTestApi({ redisUrl: DEAD_REDIS });
    try {
      const res = await down.app.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      // Quickly: from the refused connection, not after waiting out the probe's own time limit.
      expect(res.json().message).not.toMatch(/timed out/);
      expect(res.json()).toEqual({ error: 'redis_unavailable', message: expect.any(String) });
      // Where Redis was expected, why it failed, and what to check: the same sentence the log says.
      expect(res.json().message).toMatch(
        /^Redis is not reachable at redis:\/\/127\.0\.0\.1:1 \(.+\): check that a Redis server runs there and that REDIS_URL names it/,
      );
      // Liveness does not depend on Redis.
      expect((await down.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await down.close();
    }
  });

  test('requests that need Redis answer 503 redis_unavailable, never 500, while it is down', async () => {
    const down = await startTestApi({ redisUrl: DEAD_REDIS });
    try {
      const responses = await Promise.all([
        down.app.inject({ method: 'POST', url: '/projects', headers: AUTH, payload: createBody() }),
        down.app.inject({ method: 'GET', url: '/projects/some-id', headers: AUTH }),
        down.app.inject({ method: 'GET', url: '/projects', headers: AUTH }),
      ]);
      for (const res of responses) {
        expect(res.statusCode).toBe(503);
        expect(res.json()).toEqual({ error: 'redis_unavailable', message: expect.any(String) });
        expect(res.body).not.toMatch(/ECONNREFUSED|enableOfflineQueue|127\.0\.0\.1/);
      }
    } finally {
      await down.close();
    }
  });

  test('an unknown route answers 404 not_found as JSON', async ({ api }) => {
    const res = await api.app.inject({ method: 'GET', url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no route GET /nope' });
    const post = await api.app.inject({ method: 'POST', url: '/nope', payload: {} });
    expect(post.statusCode).toBe(404);
    expect(post.json().error).toBe('not_found');
  });
});

describe('OpenAPI', () => {
  test('/docs/json is generated from the contracts schemas', async ({ api }) => {
    const res = await api.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/ready',
        '/projects',
        '/projects/{id}',
        '/projects/import',
        '/review',
        '/review/{id}/retry',
        '/review/{id}/resolve',
        '/review/{id}/abandon',
      ]),
    );
    const resolve = doc.paths['/review/{id}/resolve'].post;
    expect(resolve.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(resolve.responses)).toEqual(expect.arrayContaining(['200', '409', '422']));
    expect(resolve.responses['422'].content['application/json'].schema.properties).toHaveProperty('details');
    const post = doc.paths['/projects'].post;
    expect(post.security).toEqual([{ bearerAuth: [] }]);
    const body = post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['name', 'language', 'prompt']));
    expect(body.properties.name.pattern).toBe('^[a-z0-9][a-z0-9_-]{0,63}$');
    expect(body.properties.language.enum).toEqual(['python', 'javascript', 'java', 'typescript', 'go']);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '409', '413']));
    // The public view never documents the prompt.
    const view = doc.paths['/projects/{id}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(view.properties)).not.toContain('prompt');
    expect(body.properties.callbackUrl.type).toBe('string');
    expect(doc.paths['/events'].get.security).toEqual([{ bearerAuth: [] }]);
  });

  test('/docs/json lists every route of the HTTP API contract with its methods', async ({ api }) => {
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const expected: Record<string, string[]> = {
      '/health': ['get'],
      '/ready': ['get'],
      '/status': ['get'],
      '/metrics': ['get'],
      '/projects': ['get', 'post'],
      '/projects/import': ['post'],
      '/projects/{id}': ['get'],
      '/review': ['get'],
      '/review/{id}/retry': ['post'],
      '/review/{id}/resolve': ['post'],
      '/review/{id}/abandon': ['post'],
      '/fixes': ['get'],
      '/fixes/{signature}': ['delete', 'get'],
      '/fixes/export': ['get'],
      '/fixes/import': ['post'],
      '/events': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual(methods);
    }
  });

  test('/docs serves the Swagger UI', async ({ api }) => {
    const res = await api.app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
