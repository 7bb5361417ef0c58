import { stageJobId } from '@hardfix/contracts';
import { describe, expect } from 'vitest';
import { AUTH, createBody, type TestApi, test } from './helper.js';

async function post(api: TestApi, body: Record<string, unknown>) {
  return api.app.inject({ method: 'POST', url: '/projects', headers: AUTH, payload: body });
}

async function generationJobs(api: TestApi) {
  return api.queues.generation.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
}

describe('POST /projects', () => {
  test('creates a queued project and exactly one waiting generation job with a deterministic id', async ({
    api,
  }) => {
    const res = await post(api, createBody());
    expect(res.statusCode).toBe(202);
    const accepted = res.json();
    expect(accepted).toEqual({ id: expect.any(String), name: 'resizer', status: 'queued' });

    const project = await api.store.get(accepted.id);
    expect(project).toMatchObject({
      id: accepted.id,
      name: 'resizer',
      language: 'python',
      prompt: 'write a python image resizer',
      status: 'queued',
      stage: 'generation',
      attempts: [],
    });

    const jobs = await generationJobs(api);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.id).toBe(`generation-${accepted.id}-1`);
    expect(jobs[0]?.id).toBe(stageJobId('generation', accepted.id, 1));
    expect(jobs[0]?.data).toEqual({ projectId: accepted.id, n: 1 });
    expect(await api.queues.generation.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect(await api.queues['smart-retry'].count()).toBe(0);
    expect(await api.queues['hard-fix'].count()).toBe(0);
  });

  test('the same request sent twice is one project and one job', async ({ api }) => {
    const first = await post(api, createBody());
    const second = await post(api, createBody());
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toEqual(first.json());
    expect(await generationJobs(api)).toHaveLength(1);
    expect((await api.store.countByStatus()).queued).toBe(1);
  });

  test('a retry restores the job lost by a crash between the two writes', async ({ api }) => {
    // As if the first request died after creating the record and before enqueuing.
    const created = await api.store.create({
      ...createBody(),
      language: 'python',
      status: 'queued',
      stage: 'generation',
    });
    if (!created.created) throw new Error('expected a new project');
    expect(await generationJobs(api)).toHaveLength(0);

    const res = await post(api, createBody());
    expect(res.statusCode).toBe(202);
    expect(res.json().id).toBe(created.project.id);
    const jobs = await generationJobs(api);
    expect(jobs.map((j) => j.id)).toEqual([`generation-${created.project.id}-1`]);
  });

  test('a retry of a project that has moved on answers its status and enqueues nothing', async ({ api }) => {
    const { id } = (await post(api, createBody())).json();
    // The worker took the job and moved the project on; the finished job is gone.
    await api.queues.generation.obliterate({ force: true });
    await api.store.update(id, (p) => ({ ...p, status: 'generating' }));

    const res = await post(api, createBody());
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id, name: 'resizer', status: 'generating' });
    expect(await generationJobs(api)).toHaveLength(0);
  });

  test('a taken name with a different prompt or language is 409 name_taken naming the owner', async ({
    api,
  }) => {
    const { id } = (await post(api, createBody())).json();
    for (const other of [createBody({ prompt: 'something else' }), createBody({ language: 'java' })]) {
      const res = await post(api, other);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({ error: 'name_taken', message: expect.stringContaining(id) });
    }
    expect(await generationJobs(api)).toHaveLength(1);
  });
});

describe('GET /projects/:id', () => {
  test('answers the public view without prompt or files', async ({ api }) => {
    const { id } = (await post(api, createBody())).json();
    const res = await api.app.inject({ method: 'GET', url: `/projects/${id}`, headers: AUTH });
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({
      id,
      name: 'resizer',
      language: 'python',
      status: 'queued',
      stage: 'generation',
      attempts: [],
      usage: { calls: 0, inputTokens: 0, outputTokens: 0 },
    });
    expect(view).not.toHaveProperty('prompt');
    expect(view).not.toHaveProperty('files');
    expect(view).not.toHaveProperty('version');
  });

  test('an unknown id is 404 not_found', async ({ api }) => {
    const res = await api.app.inject({ method: 'GET', url: '/projects/does-not-exist', headers: AUTH });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'project does-not-exist does not exist' });
  });
});

describe('GET /projects', () => {
  async function createMany(api: TestApi, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await post(api, createBody({ name: `p${i}` }))).json().id);
    return ids;
  }

  test('pages through every project exactly once, newest first', async ({ api }) => {
    const ids = await createMany(api, 7);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ limit: '3', ...(cursor ? { cursor } : {}) });
      const res = await api.app.inject({ method: 'GET', url: `/projects?${query}`, headers: AUTH });
      expect(res.statusCode).toBe(200);
      const page = res.json();
      expect(page.items.length).toBeLessThanOrEqual(3);
      for (const item of page.items) expect(item).not.toHaveProperty('prompt');
      seen.push(...page.items.map((p: { id: string }) => p.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(ids));
    const created = await Promise.all(
      seen.map(async (id) => Date.parse((await api.store.mustGet(id)).createdAt)),
    );
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  test('filters by status', async ({ api }) => {
    const ids = await createMany(api, 4);
    const delivered = ids.slice(0, 2);
    for (const id of delivered) await api.store.update(id, (p) => ({ ...p, status: 'delivered' }));

    const res = await api.app.inject({ method: 'GET', url: '/projects?status=delivered', headers: AUTH });
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.nextCursor).toBeUndefined();
    expect(new Set(page.items.map((p: { id: string }) => p.id))).toEqual(new Set(delivered));
    expect(page.items.every((p: { status: string }) => p.status === 'delivered')).toBe(true);

    const queued = (
      await api.app.inject({ method: 'GET', url: '/projects?status=queued', headers: AUTH })
    ).json();
    expect(queued.items).toHaveLength(2);
  });

  test('a bad cursor, limit or status is 400 naming the query field', async ({ api }) => {
    for (const [query, field] of [
      ['cursor=not-a-cursor', 'query.cursor'],
      ['limit=0', 'query.limit'],
      ['limit=201', 'query.limit'],
      ['limit=abc', 'query.limit'],
      ['status=bogus', 'query.status'],
    ] as const) {
      const res = await api.app.inject({ method: 'GET', url: `/projects?${query}`, headers: AUTH });
      expect(res.statusCode, query).toBe(400);
      expect(res.json(), query).toEqual({
        error: 'invalid_request',
        message: expect.stringContaining(field),
      });
    }
  });
});
