import { MAX_PROMPT_CHARS } from '@hardfix/contracts';
import { describe, expect } from 'vitest';
import { DEFAULT_BODY_LIMIT } from '../src/app.js';
import { AUTH, createBody, type TestApi, TOKEN, test } from './helper.js';

/** Nothing was written: no project record and no job. */
async function expectNothingStored(api: TestApi) {
  expect((await api.store.list(undefined, 10)).items).toEqual([]);
  expect(await api.queues.generation.count()).toBe(0);
}

/** After any rejection the service still works end to end. */
async function expectStillServing(api: TestApi) {
  expect((await api.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  const ok = await api.app.inject({ method: 'POST', url: '/projects', headers: AUTH, payload: createBody() });
  expect(ok.statusCode).toBe(202);
}

describe('POST /projects rejects bad input with a JSON 400 naming the field', () => {
  const cases: [string, unknown, RegExp][] = [
    ['uppercase name', createBody({ name: 'Resizer' }), /^body\.name: must match \^\[a-z0-9\]/],
    ['name too long', createBody({ name: 'a'.repeat(65) }), /^body\.name: must match/],
    ['name with a leading dash', createBody({ name: '-resizer' }), /^body\.name: must match/],
    ['path traversal in the name', createBody({ name: '../x' }), /^body\.name: must match/],
    ['empty name', createBody({ name: '' }), /^body\.name: must match/],
    ['name of the wrong type', createBody({ name: 42 }), /^body\.name: .*expected string/],
    [
      'unknown language',
      createBody({ language: 'rust' }),
      /^body\.language: .*"python"\|"javascript"\|"java"/,
    ],
    [
      'a language alias',
      createBody({ language: 'golang' }),
      /^body\.language: "golang" is not a language name the API takes; use "go"$/,
    ],
    ['another spelling', createBody({ language: 'TypeScript' }), /^body\.language: .*; use "typescript"$/],
    ['missing prompt', { name: 'resizer', language: 'python' }, /^body\.prompt: is required/],
    ['empty prompt', createBody({ prompt: '' }), /^body\.prompt: must not be empty/],
    ['blank prompt', createBody({ prompt: '  \n ' }), /^body\.prompt: must not be empty/],
    ['prompt of the wrong type', createBody({ prompt: ['a'] }), /^body\.prompt: .*expected string/],
    ['prompt too long', createBody({ prompt: 'x'.repeat(MAX_PROMPT_CHARS + 1) }), /^body\.prompt: Too big/],
    ['an array body', [createBody()], /^body: .*expected object/],
  ];

  for (const [what, payload, message] of cases) {
    test(what, async ({ api }) => {
      const res = await api.app.inject({
        method: 'POST',
        url: '/projects',
        headers: AUTH,
        payload: payload as object,
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const body = res.json();
      expect(body.error).toBe('invalid_request');
      expect(body.message).toMatch(message);
      await expectNothingStored(api);
      await expectStillServing(api);
    });
  }

  test('several bad fields are all named', async ({ api }) => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/projects',
      headers: AUTH,
      payload: { name: 'BAD', language: 'cobol' },
    });
    expect(res.statusCode).toBe(400);
    const { message } = res.json();
    expect(message).toContain('body.name');
    expect(message).toContain('body.language');
    expect(message).toContain('body.prompt');
  });
});

describe('POST /projects rejects malformed requests', () => {
  test('invalid JSON is 400', async ({ api }) => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/projects',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: '{"name": "resizer",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_request', message: 'body: is not valid JSON' });
    await expectStillServing(api);
  });

  test('an empty JSON body is 400', async ({ api }) => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/projects',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_request', message: 'body: must not be empty' });
  });

  test('no body at all is 400 naming the body', async ({ api }) => {
    const res = await api.app.inject({ method: 'POST', url: '/projects', headers: AUTH });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'invalid_request', message: expect.stringMatching(/^body: /) });
  });

  for (const contentType of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
    test(`a ${contentType} body is 415`, async ({ api }) => {
      const res = await api.app.inject({
        method: 'POST',
        url: '/projects',
        headers: { ...AUTH, 'content-type': contentType },
        payload: 'name=resizer',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toEqual({ error: 'unsupported_media_type', message: expect.any(String) });
      await expectNothingStored(api);
    });
  }

  test('a body over the limit is 413 payload_too_large, and the service still answers', async ({ api }) => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/projects',
      headers: AUTH,
      payload: createBody({ prompt: 'x'.repeat(DEFAULT_BODY_LIMIT) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: 'payload_too_large', message: expect.any(String) });
    await expectNothingStored(api);
    await expectStillServing(api);
  });

  test('over a real socket, a body over the limit is 413 and the server keeps serving', async ({ api }) => {
    const url = await api.app.listen({ host: '127.0.0.1', port: 0 });
    const big = JSON.stringify(createBody({ prompt: 'x'.repeat(DEFAULT_BODY_LIMIT) }));
    const res = await fetch(`${url}/projects`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'payload_too_large', message: expect.any(String) });

    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    const ok = await fetch(`${url}/projects`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify(createBody()),
    });
    expect(ok.status).toBe(202);
  });
});

describe('routes need the bearer token', () => {
  const badHeaders: [string, Record<string, string>][] = [
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-0123456789' }],
    ['a token of another length', { authorization: 'Bearer x' }],
    ['a token with a suffix', { authorization: `Bearer ${TOKEN}x` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['another scheme', { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` }],
  ];

  for (const [what, headers] of badHeaders) {
    test(`${what} is 401 unauthorized`, async ({ api }) => {
      const res = await api.app.inject({ method: 'POST', url: '/projects', headers, payload: createBody() });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: 'unauthorized', message: expect.any(String) });
      expect(res.body).not.toContain(TOKEN);
      await expectNothingStored(api);
      await expectStillServing(api);
    });
  }

  test('the token is checked before the body is validated', async ({ api }) => {
    const res = await api.app.inject({ method: 'POST', url: '/projects', payload: { name: 'BAD' } });
    expect(res.statusCode).toBe(401);
  });

  test('reads of project data need the token too; probes, dashboards and docs do not', async ({ api }) => {
    for (const url of ['/projects', '/projects/x', '/review', '/fixes', '/fixes/x', '/fixes/export']) {
      const res = await api.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json(), url).toMatchObject({ error: 'unauthorized' });
      const wrong = await api.app.inject({
        method: 'GET',
        url,
        headers: { authorization: 'Bearer nope-nope-nope' },
      });
      expect(wrong.statusCode, url).toBe(401);
      const authorized = await api.app.inject({ method: 'GET', url, headers: AUTH });
      expect(authorized.statusCode, url).not.toBe(401);
    }
    for (const url of ['/health', '/ready', '/status', '/metrics', '/docs/json']) {
      const res = await api.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).not.toBe(401);
    }
  });
});
