import { FixLibrary, keys } from '@hardfix/core';
import { describe, expect } from 'vitest';
import { AUTH, startTestApi, type TestApi, test } from './helper.js';

const seed = (i: number, overrides: Record<string, unknown> = {}) => ({
  error_signature: `seedsig${i}`,
  error_type: i % 2 === 0 ? 'NameError' : 'ReferenceError',
  language: i % 2 === 0 ? 'py' : 'js',
  fix_description: `Fixed #${i}`,
  working_code: `fixed ${i}\n`,
  success_count: 3,
  total_attempts: 5,
  used_by_projects: [`project_${i}`],
  first_success: `2025-01-${String(10 + i).padStart(2, '0')}T10:00:00`,
  last_used: '2025-02-01T10:00:00',
  ...overrides,
});

const importBody = (api: TestApi, payload: unknown, headers: Record<string, string> = AUTH) =>
  api.app.inject({ method: 'POST', url: '/fixes/import', headers, payload: payload as object });

describe('/fixes', () => {
  test('imports seed records, lists them with filters, total and cursor, and shows one', async ({ api }) => {
    const res = await importBody(
      api,
      [0, 1, 2, 3, 4].map((i) => seed(i)),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ added: 5, merged: 0, skipped: 0 });

    const first = await api.app.inject({ url: '/fixes?limit=2', headers: AUTH });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page.total).toBe(5);
    expect(page.items.map((f: { fix_id: string }) => f.fix_id)).toEqual(['seedsig4', 'seedsig3']);
    expect(page.items[0]).toMatchObject({
      error_signature: 'seedsig4',
      language: 'python',
      demoted: false,
      failure_count: 0,
      signature_version: 0,
      fix_source: 'import',
      // What the record says about its past is shown as its imported history; here it starts at zero.
      success_count: 0,
      total_attempts: 0,
      used_by_projects: [],
      imported: {
        success_count: 3,
        total_attempts: 5,
        failure_count: 0,
        recent_outcomes: '',
        used_by_projects: ['project_4'],
      },
    });
    const second = (
      await api.app.inject({ url: `/fixes?limit=2&cursor=${page.nextCursor}`, headers: AUTH })
    ).json();
    expect(second.items.map((f: { fix_id: string }) => f.fix_id)).toEqual(['seedsig2', 'seedsig1']);

    const py = (
      await api.app.inject({ url: '/fixes?language=python&errorType=NameError', headers: AUTH })
    ).json();
    expect(py.total).toBe(3);
    expect((await api.app.inject({ url: '/fixes?language=js', headers: AUTH })).json().total).toBe(2);
    expect((await api.app.inject({ url: '/fixes?cursor=zzz', headers: AUTH })).statusCode).toBe(400);

    const one = await api.app.inject({ url: '/fixes/seedsig1', headers: AUTH });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ fix_id: 'seedsig1', language: 'javascript' });
    expect((await api.app.inject({ url: '/fixes/unknown', headers: AUTH })).statusCode).toBe(404);
  });

  test('a malformed import is refused whole, naming the record and field', async ({ api }) => {
    const res = await importBody(api, [seed(0), seed(1), seed(2, { first_success: 'yesterday' })]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      message: 'body[2].first_success: must be an ISO 8601 date-time; nothing was imported',
      details: { index: 2, field: 'first_success' },
    });
    expect((await api.app.inject({ url: '/fixes', headers: AUTH })).json()).toEqual({ items: [], total: 0 });
    expect((await importBody(api, { not: 'an array' })).statusCode).toBe(400);
    expect((await importBody(api, [seed(0)], {})).statusCode).toBe(401);
  });

  test('a second import merges into the imported history and reports what it skipped', async ({ api }) => {
    await importBody(api, [seed(0)]);
    const again = await importBody(api, [
      seed(0),
      seed(0, { success_count: 1, used_by_projects: ['other'] }),
    ]);
    expect(again.json()).toEqual({ added: 0, merged: 1, skipped: 1 });
    expect((await api.app.inject({ url: '/fixes/seedsig0', headers: AUTH })).json()).toMatchObject({
      success_count: 0,
      total_attempts: 0,
      used_by_projects: [],
      imported: { success_count: 4, total_attempts: 10, used_by_projects: ['other', 'project_0'] },
    });
  });

  test('export → import into an empty prefix round-trips every field', async ({ api }) => {
    const lib = new FixLibrary(api.redis, api.env.QUEUE_PREFIX);
    await lib.saveSuccess({
      signature: 'abc',
      errorType: 'NameError',
      language: 'python',
      description: 'add import',
      originalCode: 'x = Image\n',
      workingCode: 'from PIL import Image\nx = Image\n',
      attempts: 4,
      projectName: 'resizer',
      source: 'llm',
    });
    await lib.recordFailure('abc', 'p:1');
    await importBody(api, [seed(0)]);
    const exported = await api.app.inject({ url: '/fixes/export', headers: AUTH });
    expect(exported.statusCode).toBe(200);
    const records = exported.json();
    expect(records).toHaveLength(2);
    expect(records[1]).toMatchObject({ error_signature: 'abc', failure_count: 1, recent_outcomes: '10' });
    expect(records[1].patch).toContain('+from PIL import Image');

    const other = await startTestApi();
    try {
      expect((await importBody(other, records)).json()).toEqual({ added: 2, merged: 0, skipped: 0 });
      // Every field survives; what was proven there is imported here (provenance, local successes),
      // and its counters there are its imported history here.
      const abc = (await api.app.inject({ url: '/fixes/abc', headers: AUTH })).json();
      expect((await other.app.inject({ url: '/fixes/abc', headers: AUTH })).json()).toEqual({
        ...abc,
        provenance: 'imported',
        local_success_count: 0,
        success_count: 0,
        total_attempts: 0,
        failure_count: 0,
        recent_outcomes: '',
        used_by_projects: [],
        imported: {
          success_count: 1,
          total_attempts: 5,
          failure_count: 1,
          recent_outcomes: '10',
          used_by_projects: ['resizer'],
        },
      });
      // Exported again, the history travels with it.
      const again = (await other.app.inject({ url: '/fixes/export', headers: AUTH })).json();
      expect(again.map((r: { imported?: unknown }) => r.imported)).toEqual([
        expect.objectContaining({ success_count: 3, total_attempts: 5, used_by_projects: ['project_0'] }),
        expect.objectContaining({ success_count: 1, failure_count: 1, recent_outcomes: '10' }),
      ]);
    } finally {
      await other.close();
    }
  });

  test('DELETE removes a fix with its index entries and counters, behind the token', async ({ api }) => {
    await importBody(api, [seed(0), seed(1)]);
    expect((await api.app.inject({ method: 'DELETE', url: '/fixes/seedsig0' })).statusCode).toBe(401);
    const res = await api.app.inject({ method: 'DELETE', url: '/fixes/seedsig0', headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ deleted: 1 });
    expect(
      (await api.app.inject({ method: 'DELETE', url: '/fixes/seedsig0', headers: AUTH })).statusCode,
    ).toBe(404);
    expect((await api.app.inject({ url: '/fixes/seedsig0', headers: AUTH })).statusCode).toBe(404);
    expect((await api.app.inject({ url: '/fixes?language=python', headers: AUTH })).json().total).toBe(0);
    expect((await api.app.inject({ url: '/fixes', headers: AUTH })).json().total).toBe(1);
    expect(await api.redis.hget(keys(api.env.QUEUE_PREFIX).stats, 'fixes:total')).toBe('1');
  });

  test('the routes are in the OpenAPI document', async ({ api }) => {
    const doc = (await api.app.inject({ url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/fixes', '/fixes/export', '/fixes/import', '/fixes/{signature}']),
    );
  });
});
