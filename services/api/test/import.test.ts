import { stageJobId } from '@hardfix/contracts';
import { describe, expect } from 'vitest';
import { AUTH, createBody, hardFixJobs, type TestApi, test } from './helper.js';

const FILES = [
  { path: 'main.py', content: 'from lib.util import greet\nprint(greet("world"))\n' },
  { path: 'lib/util.py', content: 'def greet(name):\n    return "hello " + nme\n' },
];

function importBody(overrides: Record<string, unknown> = {}) {
  return { name: 'legacy', language: 'python', files: FILES, entry: 'main.py', ...overrides };
}

async function post(api: TestApi, payload: unknown, headers: Record<string, string> = AUTH) {
  return api.app.inject({ method: 'POST', url: '/projects/import', headers, payload: payload as object });
}

describe('POST /projects/import', () => {
  test('creates a queued project at the import stage with its files, and exactly one hard-fix job 1', async ({
    api,
  }) => {
    const res = await post(api, importBody({ errorLog: 'NameError: nme' }));
    expect(res.statusCode).toBe(202);
    const { id } = res.json();
    expect(res.json()).toEqual({ id: expect.any(String), name: 'legacy', status: 'queued' });

    expect(await api.store.get(id)).toMatchObject({
      name: 'legacy',
      language: 'python',
      status: 'queued',
      stage: 'import',
      entry: 'main.py',
      attempts: [],
    });
    expect(await api.store.getFiles(id)).toEqual({
      files: FILES,
      entry: 'main.py',
      errorLog: 'NameError: nme',
    });

    const jobs = await hardFixJobs(api);
    expect(jobs.map((j) => j.id)).toEqual([`hard-fix-${id}-1`]);
    expect(jobs[0]?.id).toBe(stageJobId('hard-fix', id, 1));
    expect(jobs[0]?.data).toEqual({ projectId: id, n: 1 });
    expect(await api.queues.generation.count()).toBe(0);
    expect(await api.queues['smart-retry'].count()).toBe(0);
  });

  test('the same import sent twice is one project and one job; a different one under the name is 409', async ({
    api,
  }) => {
    const first = await post(api, importBody());
    const again = await post(api, importBody({ errorLog: 'a longer log is still the same request' }));
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    expect(await hardFixJobs(api)).toHaveLength(1);

    const changed = await post(api, importBody({ files: [{ path: 'main.py', content: 'print(1)\n' }] }));
    expect(changed.statusCode).toBe(409);
    expect(changed.json()).toEqual({
      error: 'name_taken',
      message: expect.stringContaining(first.json().id),
    });
  });

  test('a name taken by a generated project is 409, and the other way round', async ({ api }) => {
    const generated = await api.app.inject({
      method: 'POST',
      url: '/projects',
      headers: AUTH,
      payload: createBody({ name: 'legacy' }),
    });
    expect(generated.statusCode).toBe(202);
    expect((await post(api, importBody())).statusCode).toBe(409);

    expect((await post(api, importBody({ name: 'other' }))).statusCode).toBe(202);
    const clash = await api.app.inject({
      method: 'POST',
      url: '/projects',
      headers: AUTH,
      payload: createBody({ name: 'other' }),
    });
    expect(clash.statusCode).toBe(409);
  });

  test('a retry restores the job lost between the two writes while the project is still queued', async ({
    api,
  }) => {
    const created = await api.store.create({
      name: 'legacy',
      language: 'python',
      status: 'queued',
      stage: 'import',
      entry: 'main.py',
      files: { files: FILES, entry: 'main.py' },
    });
    if (!created.created) throw new Error('expected a new project');
    expect(await hardFixJobs(api)).toHaveLength(0);
    const res = await post(api, importBody());
    expect(res.json().id).toBe(created.project.id);
    expect((await hardFixJobs(api)).map((j) => j.id)).toEqual([`hard-fix-${created.project.id}-1`]);
  });

  describe('rejects bad input with a 400 naming the field, storing nothing', () => {
    const cases: [string, unknown, RegExp][] = [
      [
        'path traversal',
        importBody({ files: [{ path: '../x.py', content: '' }], entry: undefined }),
        /^body\.files\.0\.path: must not contain a "\.\." segment/,
      ],
      [
        'traversal inside a path',
        importBody({ files: [{ path: 'a/../../x.py', content: '' }], entry: undefined }),
        /^body\.files\.0\.path: must not contain a "\.\." segment/,
      ],
      [
        'absolute path',
        importBody({ files: [{ path: '/etc/passwd', content: '' }], entry: undefined }),
        /^body\.files\.0\.path: must be relative/,
      ],
      [
        'backslash',
        importBody({ files: [{ path: 'lib\\util.py', content: '' }], entry: undefined }),
        /^body\.files\.0\.path: must not contain a backslash/,
      ],
      [
        'duplicate paths',
        importBody({ files: [FILES[0], FILES[0]] }),
        /^body\.files: must not repeat a path/,
      ],
      [
        'empty files',
        importBody({ files: [], entry: undefined }),
        /^body\.files: must contain at least one file/,
      ],
      ['missing files', { name: 'legacy', language: 'python' }, /^body\.files: is required/],
      ['unknown language', importBody({ language: 'rust' }), /^body\.language: /],
      ['bad name', importBody({ name: '../legacy' }), /^body\.name: must match/],
      [
        'an entry that is not a file',
        importBody({ entry: 'app.py' }),
        /^body\.entry: must be the path of one/,
      ],
      ['a traversing entry', importBody({ entry: '../main.py' }), /^body\.entry: must not contain a "\.\."/],
      [
        'content of the wrong type',
        importBody({ files: [{ path: 'main.py', content: 1 }] }),
        /^body\.files\.0\.content: /,
      ],
    ];
    for (const [what, payload, message] of cases) {
      test(what, async ({ api }) => {
        const res = await post(api, payload);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ error: 'invalid_request', message: expect.stringMatching(message) });
        expect((await api.store.list(undefined, 10)).items).toEqual([]);
        expect(await api.queues['hard-fix'].count()).toBe(0);
      });
    }
  });

  test('without a token is 401 and stores nothing', async ({ api }) => {
    const res = await post(api, importBody(), {});
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
    expect((await api.store.list(undefined, 10)).items).toEqual([]);
  });
});
