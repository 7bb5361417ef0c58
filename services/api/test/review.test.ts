import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Attempt,
  MANUAL_QUEUE,
  manualJobId,
  PROJECT_STATUSES,
  type ProjectFile,
} from '@hardfix/contracts';
import { createRedisClient, ENTRY_STATES, errorSignature, FixLibrary, STAGES_BY_STATUS } from '@hardfix/core';
import { createSandbox, type Sandbox, type VerifyResult } from '@hardfix/sandbox';
import { runVerifyMemo } from '@hardfix/testkit';
import { Worker } from 'bullmq';
import { describe, expect } from 'vitest';
import { until } from '../../worker/test/worker-process.js';
import { AUTH, silentLogger, startTestApi, startWorkerFor, type TestApi, test } from './helper.js';

// The failing line sits in the middle of the file, so the extracted block has lines on both sides.
const BROKEN_UTIL = [
  'import os',
  '',
  '',
  'def helper():',
  '    return 1',
  '',
  '',
  'def greet(name):',
  '    return "hello " + nme',
  '',
  '',
  'def unused():',
  '    return 2',
  '',
  '',
  'X = 1',
  '',
].join('\n');
const MAIN = { path: 'main.py', content: 'from lib.util import greet\nprint(greet("world"))\n' };
const BROKEN: ProjectFile[] = [MAIN, { path: 'lib/util.py', content: BROKEN_UTIL }];
/** The reviewer's fix: one line corrected and one added inside the function. */
const FIXED_UTIL = BROKEN_UTIL.replace(
  '    return "hello " + nme',
  '    greeting = "hello "\n    return greeting + name',
);
const FIXED: ProjectFile[] = [MAIN, { path: 'lib/util.py', content: FIXED_UTIL }];

function failedAttempt(n: number, type: string, message: string): Attempt {
  return {
    n,
    stage: 'hard-fix',
    outcome: 'failed',
    fixSource: 'llm',
    error: { type, message, signature: errorSignature({ language: 'python', type, message }) },
    at: new Date().toISOString(),
  };
}

let sandbox: Promise<Sandbox> | undefined;
/** The test's own sandbox, to produce the real failure of the fixture (the API has none). */
function testSandbox(): Promise<Sandbox> {
  const memo = runVerifyMemo<VerifyResult>();
  sandbox ??= createSandbox({ logger: silentLogger, ...(memo ? { memo } : {}) });
  return sandbox;
}

/** Resolve is verified by a worker: these tests run a real worker process beside the app. */
const withWorker = test.extend<{ worker: { close(): Promise<void> } }>({
  worker: async ({ api }, use) => {
    const worker = await startWorkerFor(api);
    try {
      await use(worker);
    } finally {
      await worker.close();
    }
  },
});

/**
 * A project as the worker leaves it after hard fix gave up: its files and the real failure they
 * produce (run in the sandbox), three failed hard-fix attempts, status manual-review.
 */
async function parkForReview(api: TestApi, name = 'legacy') {
  const verified = await (await testSandbox()).verify({
    language: 'python',
    files: BROKEN,
    timeoutMs: api.env.VERIFY_TIMEOUT_MS,
  });
  if (verified.ok || !verified.error) throw new Error('the broken fixture should fail');
  const created = await api.store.create({ name, language: 'python', status: 'queued', stage: 'import' });
  if (!created.created) throw new Error('expected a new project');
  const id = created.project.id;
  await api.store.setFiles(id, { files: BROKEN, lastFailure: verified.error });
  const { type, message } = verified.error;
  await api.store.update(id, (p) => ({
    ...p,
    status: 'manual-review',
    stage: 'manual',
    attempts: [1, 2, 3].map((n) => failedAttempt(n, type, message)),
  }));
  return { id, failure: verified.error };
}

function post(api: TestApi, url: string, payload?: object, headers: Record<string, string> = AUTH) {
  return api.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
}

async function hardFixJobIds(api: TestApi) {
  const jobs = await api.queues['hard-fix'].getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
  return jobs.map((j) => j.id).sort();
}

describe('GET /review', () => {
  test('lists only projects in manual-review, with their attempt count and last error', async ({ api }) => {
    const { id, failure } = await parkForReview(api);
    await api.store.create({ name: 'waiting', language: 'python', status: 'queued', stage: 'import' });
    const done = await api.store.create({
      name: 'done',
      language: 'java',
      status: 'queued',
      stage: 'import',
    });
    if (done.created) await api.store.update(done.project.id, (p) => ({ ...p, status: 'delivered' }));

    const res = await api.app.inject({ method: 'GET', url: '/review', headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      items: [
        {
          id,
          name: 'legacy',
          language: 'python',
          attempts: 3,
          lastError: {
            type: 'NameError',
            message: failure.message,
            signature: errorSignature({ language: 'python', type: 'NameError', message: failure.message }),
          },
          since: (await api.store.mustGet(id)).attempts.at(-1)?.at,
        },
      ],
    });
  });

  test('pages with limit and cursor; a bad cursor is 400', async ({ api }) => {
    const a = await parkForReview(api, 'first');
    const b = await parkForReview(api, 'second');
    const page1 = (await api.app.inject({ method: 'GET', url: '/review?limit=1', headers: AUTH })).json();
    expect(page1.items.map((i: { id: string }) => i.id)).toEqual([b.id]);
    const page2 = (
      await api.app.inject({
        method: 'GET',
        url: `/review?limit=1&cursor=${page1.nextCursor}`,
        headers: AUTH,
      })
    ).json();
    expect(page2).toEqual({ items: [expect.objectContaining({ id: a.id })] });

    const bad = await api.app.inject({ method: 'GET', url: '/review?cursor=nope', headers: AUTH });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^query\.cursor: /);
  });
});

describe('POST /review/:id/retry', () => {
  test('moves the project back to hard fix after the highest n so far and adds that job', async ({ api }) => {
    const { id } = await parkForReview(api);
    const res = await post(api, `/review/${id}/retry`);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id, name: 'legacy', status: 'hard-fix' });
    expect(await api.store.get(id)).toMatchObject({ status: 'hard-fix', stage: 'hard-fix', hardFixBase: 3 });
    expect(await hardFixJobIds(api)).toEqual([`hard-fix-${id}-4`]);
    expect((await api.app.inject({ method: 'GET', url: '/review', headers: AUTH })).json().items).toEqual([]);
  });

  test('a repeated retry before the round starts re-ensures the same job; after that it is 409', async ({
    api,
  }) => {
    const { id } = await parkForReview(api);
    expect((await post(api, `/review/${id}/retry`)).statusCode).toBe(202);
    await api.queues['hard-fix'].remove(`hard-fix-${id}-4`); // as if the first request died before adding it
    const again = await post(api, `/review/${id}/retry`);
    expect(again.statusCode).toBe(202);
    expect(await hardFixJobIds(api)).toEqual([`hard-fix-${id}-4`]);
    expect((await api.store.get(id))?.hardFixBase).toBe(3);

    // The worker has run attempt 4: the round is under way, so this is no longer a repeat.
    await api.store.update(id, (p) => ({
      ...p,
      attempts: [...p.attempts, failedAttempt(4, 'NameError', 'x')],
    }));
    const late = await post(api, `/review/${id}/retry`);
    expect(late.statusCode).toBe(409);
    expect(late.json()).toEqual({ error: 'wrong_state', message: expect.stringContaining('is hard-fix') });
  });

  test('a second round counts from the first round’s base', async ({ api }) => {
    const { id } = await parkForReview(api);
    await api.store.update(id, (p) => ({
      ...p,
      hardFixBase: 3,
      attempts: [...p.attempts, failedAttempt(23, 'E', 'm')],
    }));
    expect((await post(api, `/review/${id}/retry`)).statusCode).toBe(202);
    expect((await api.store.get(id))?.hardFixBase).toBe(23);
    expect(await hardFixJobIds(api)).toEqual([`hard-fix-${id}-24`]);
  });

  test('two concurrent retries move the project once', async ({ api }) => {
    const { id } = await parkForReview(api);
    const before = (await api.store.get(id))?.version ?? 0;
    const answers = await Promise.all([post(api, `/review/${id}/retry`), post(api, `/review/${id}/retry`)]);
    expect(answers.map((a) => a.statusCode)).toContain(202);
    for (const a of answers) if (a.statusCode !== 202) expect(a.statusCode).toBe(409);
    expect((await api.store.get(id))?.version).toBe(before + 1);
    expect(await hardFixJobIds(api)).toEqual([`hard-fix-${id}-4`]);
  });

  test('a delivered project is 409 naming its status; an unknown id is 404', async ({ api }) => {
    const { id } = await parkForReview(api);
    await api.store.update(id, (p) => ({ ...p, status: 'delivered' }));
    const res = await post(api, `/review/${id}/retry`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: 'wrong_state', message: expect.stringContaining('is delivered') });
    expect(await hardFixJobIds(api)).toEqual([]);

    const missing = await post(api, '/review/no-such-project/retry');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('POST /review/:id/resolve', () => {
  withWorker(
    'tests are the spec for reviewers too: files that delete or edit a test file are 422, unrun',
    async ({ api, worker: _worker }) => {
      const spec = {
        path: 'test_util.py',
        content:
          'import unittest\nfrom lib.util import greet\n\n\nclass T(unittest.TestCase):\n    def test_greet(self):\n        self.assertEqual(greet("a"), "hello a")\n',
      };
      const { id, failure } = await parkForReview(api);
      await api.store.setFiles(id, { files: [...BROKEN, spec], lastFailure: failure });
      const library = new FixLibrary(api.redis, api.env.QUEUE_PREFIX);

      const deleted = await post(api, `/review/${id}/resolve`, { files: FIXED });
      expect(deleted.statusCode).toBe(422);
      expect(deleted.json()).toMatchObject({
        error: 'spec_changed',
        message: 'SpecChanged: the candidate deletes test_util.py; tests are the spec and may not change',
      });
      const edited = { ...spec, content: spec.content.replace('"hello a"', 'greet("a")') };
      const changed = await post(api, `/review/${id}/resolve`, { files: [...FIXED, edited] });
      expect(changed.statusCode).toBe(422);
      expect(changed.json().message).toMatch(/changes test_util\.py/);
      expect((await api.store.get(id))?.attempts.slice(-2)).toMatchObject([
        { stage: 'manual', outcome: 'failed', error: { type: 'SpecChanged' } },
        { stage: 'manual', outcome: 'failed', error: { type: 'SpecChanged' } },
      ]);
      expect(existsSync(join(api.deliveryDir, 'legacy'))).toBe(false);
      expect(await library.size()).toBe(0);

      // The same fix with the test as it was passes it and is delivered.
      const ok = await post(api, `/review/${id}/resolve`, { files: [...FIXED, spec] });
      expect(ok.statusCode).toBe(200);
      expect(await readFile(join(api.deliveryDir, 'legacy', 'test_util.py'), 'utf8')).toBe(spec.content);
    },
  );

  withWorker(
    'files that fail are 422 with the error; only a failed manual attempt is recorded',
    async ({ api, worker: _worker }) => {
      const { id } = await parkForReview(api);
      const wrong = [MAIN, { path: 'lib/util.py', content: BROKEN_UTIL.replace('nme', 'nmae') }];
      const res = await post(api, `/review/${id}/resolve`, { files: wrong });
      expect(res.statusCode).toBe(422);
      // Newer Pythons may append a "Did you mean" hint, so messages are matched by their start.
      expect(res.json()).toEqual({
        error: 'verification_failed',
        message: expect.stringMatching(/^NameError: name 'nmae' is not defined/),
        details: {
          type: 'NameError',
          message: expect.stringMatching(/^name 'nmae' is not defined/),
          file: 'lib/util.py',
          line: 9,
        },
      });

      const project = await api.store.get(id);
      expect(project?.status).toBe('manual-review');
      expect(project?.attempts.at(-1)).toMatchObject({
        n: 1,
        stage: 'manual',
        outcome: 'failed',
        fixSource: 'manual',
        error: { type: 'NameError', message: expect.stringMatching(/^name 'nmae' is not defined/) },
      });
      expect((await api.store.getFiles(id)).files).toEqual(BROKEN);
      expect((await api.store.getAttemptFiles(id, 'manual', 1))?.files).toEqual(wrong);
      expect(existsSync(join(api.deliveryDir, 'legacy'))).toBe(false);
      // The review list still shows the pipeline's error, not the reviewer's.
      const item = (await api.app.inject({ method: 'GET', url: '/review', headers: AUTH })).json().items[0];
      expect(item.lastError.message).toMatch(/^name 'nme' is not defined/);
    },
  );

  withWorker(
    'files that work are delivered, recorded as a manual attempt and saved to the library',
    async ({ api, worker: _worker }) => {
      const { id, failure } = await parkForReview(api);
      // One failed try first, so the passed attempt is manual n=2.
      await post(api, `/review/${id}/resolve`, { files: [{ path: 'main.py', content: 'boom(' }] });
      const res = await post(api, `/review/${id}/resolve`, { files: FIXED });
      expect(res.statusCode).toBe(200);
      const path = join(api.deliveryDir, 'legacy');
      expect(res.json()).toEqual({ id, name: 'legacy', status: 'delivered', delivery: { path } });

      expect(await readFile(join(path, 'lib/util.py'), 'utf8')).toBe(FIXED_UTIL);
      expect(await readFile(join(path, 'main.py'), 'utf8')).toBe(MAIN.content);
      const project = await api.store.get(id);
      expect(project).toMatchObject({ status: 'delivered', delivery: { path } });
      expect(project?.attempts.at(-1)).toMatchObject({
        n: 2,
        stage: 'manual',
        outcome: 'passed',
        fixSource: 'manual',
      });
      expect((await api.store.getFiles(id)).files).toEqual(FIXED);

      const signature = errorSignature({ language: 'python', type: failure.type, message: failure.message });
      const fix = await new FixLibrary(api.fixture.redis, api.env.QUEUE_PREFIX).get(signature);
      const block = failure.block;
      if (!block) throw new Error('the sandbox should extract a block');
      // The block's lines in the new file: it grew by one line, so its end moved by one.
      const expected = FIXED_UTIL.split('\n')
        .slice(block.startLine - 1, block.endLine + 1)
        .join('\n');
      expect(fix).toMatchObject({
        error_type: 'NameError',
        language: 'python',
        fix_source: 'manual',
        used_by_projects: ['legacy'],
        total_attempts: 1,
        working_code: expected,
        original_code: block.code,
      });
      expect(fix?.working_code).toContain('return greeting + name');
      expect(fix?.original_code).toContain('nme');

      const again = await post(api, `/review/${id}/resolve`, { files: FIXED });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toEqual({
        error: 'wrong_state',
        message: expect.stringContaining('is delivered'),
      });
    },
  );

  test('rejects unsafe paths before running anything; unknown id is 404', async ({ api }) => {
    const { id } = await parkForReview(api);
    const bad = await post(api, `/review/${id}/resolve`, { files: [{ path: '../x.py', content: '' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^body\.files\.0\.path: /);
    expect((await api.store.get(id))?.attempts).toHaveLength(3);
    const missing = await post(api, '/review/nope/resolve', { files: FIXED });
    expect(missing.statusCode).toBe(404);
  });
});

describe('POST /review/:id/resolve without a worker', () => {
  test('no worker takes the files in time: 503, nothing recorded or queued; a worker started later resolves it', async () => {
    const api = await startTestApi({ env: { RESOLVE_WAIT_MS: '300', VERIFY_TIMEOUT_MS: '1000' } });
    try {
      const { id } = await parkForReview(api);
      const pending = post(api, `/review/${id}/resolve`, { files: FIXED });
      // While it waits, operators see the reviewer's fix queued in /status.
      const manualCounts = async () =>
        (await api.app.inject({ method: 'GET', url: '/status' })).json().queues.manual;
      await until('the fix to show in /status', async () =>
        (await manualCounts()).waiting === 1 ? true : undefined,
      );
      const res = await pending;
      expect(await manualCounts()).toMatchObject({ waiting: 0, active: 0 });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        error: 'sandbox_unavailable',
        message: expect.stringMatching(/^no worker took the files within 1300 ms .*stays in manual review$/),
      });
      expect(await api.store.get(id)).toMatchObject({ status: 'manual-review', version: 1 });
      expect(await api.app.manualQueue.getJobCounts('waiting', 'active', 'completed', 'failed')).toEqual({
        waiting: 0,
        active: 0,
        completed: 0,
        failed: 0,
      });

      const worker = await startWorkerFor(api);
      try {
        const again = await post(api, `/review/${id}/resolve`, { files: FIXED });
        expect(again.statusCode).toBe(200);
        expect(again.json()).toMatchObject({ id, status: 'delivered' });
      } finally {
        await worker.close();
      }
    } finally {
      await api.close();
    }
  });
});

describe('a worker that outlasts the wait', () => {
  test('503 "still verifying", nothing withdrawn; other files are 409, the same files join and get its answer', async () => {
    const api = await startTestApi({ env: { RESOLVE_WAIT_MS: '300', VERIFY_TIMEOUT_MS: '3000' } });
    const worker = await startWorkerFor(api);
    try {
      const { id } = await parkForReview(api);
      // The fix, slowed down so the worker is surely still on it when it is paused.
      const slow = [
        { ...MAIN, content: `import time\ntime.sleep(1.5)\n${MAIN.content}` },
        FIXED[1] as ProjectFile,
      ];
      const first = post(api, `/review/${id}/resolve`, { files: slow });
      const job = () => api.app.manualQueue.getJob(manualJobId(id, 1));
      await until(
        'the worker to take the files',
        async () => ((await (await job())?.getState()) === 'active' ? true : undefined),
        10_000,
      );
      worker.child.kill('SIGSTOP');

      const timedOut = await first;
      expect(timedOut.statusCode).toBe(503);
      expect(timedOut.json()).toEqual({
        error: 'sandbox_unavailable',
        message: expect.stringMatching(
          /^a worker is still verifying the files after 3300 ms; GET \/projects\//,
        ),
      });
      expect(await (await job())?.getState()).toBe('active');
      expect(await api.store.get(id)).toMatchObject({ status: 'manual-review', version: 1 });

      // Attempt 1 is still under way: other files for it are refused, not queued behind it.
      const other = await post(api, `/review/${id}/resolve`, { files: FIXED });
      expect(other.statusCode).toBe(409);
      expect(other.json().error).toBe('review_in_progress');

      // The same files join the running verification and get its answer once the worker goes on. The
      // worker resumes once the join has re-added attempt 1's job (BullMQ's `duplicated` event: the
      // second, after the refused request's); from there the request only waits for the job's answer.
      const joined = post(api, `/review/${id}/resolve`, { files: slow });
      const eventsKey = api.app.manualQueue.keys.events;
      if (!eventsKey) throw new Error('the manual queue has no events key');
      await until('the same files to join attempt 1', async () => {
        const events = await api.redis.xrange(eventsKey, '-', '+');
        const duplicated = events.filter(
          ([, fields]: [string, string[]]) =>
            fields.includes('duplicated') && fields.includes(manualJobId(id, 1)),
        );
        return duplicated.length >= 2 ? true : undefined;
      });
      worker.child.kill('SIGCONT');
      const answer = await joined;
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toMatchObject({ id, status: 'delivered' });
      const manual = (await api.store.get(id))?.attempts.filter((a) => a.stage === 'manual');
      expect(manual).toEqual([expect.objectContaining({ n: 1, outcome: 'passed' })]);
    } finally {
      await worker.close();
      await api.close();
    }
  });
});

/** The project delivered by the worker that took over, with the reviewer's fix as its one manual attempt, passed. */
async function nextWorkerDelivers(api: TestApi, id: string) {
  const delivered = await until(
    'the next worker to deliver the reviewer’s fix',
    async () => {
      const project = await api.store.get(id);
      return project?.status === 'delivered' ? project : undefined;
    },
    20_000,
  );
  expect(delivered.attempts.filter((a) => a.stage === 'manual')).toEqual([
    expect.objectContaining({ n: 1, outcome: 'passed' }),
  ]);
}

describe('a worker that dies during a resolve', () => {
  test('killed after recording the passing attempt, before marking it delivered: the next worker delivers it, the fix saved once', async () => {
    const api = await startTestApi({ env: { RESOLVE_WAIT_MS: '300', VERIFY_TIMEOUT_MS: '2000' } });
    const crashing = await startWorkerFor(api, {
      HARDFIX_FAULT_KILL_AT: 'after-delivery',
      JOB_LOCK_MS: '1000',
    });
    let next: { close(): Promise<void> } | undefined;
    try {
      const { id } = await parkForReview(api);
      const died = new Promise((resolve) => crashing.child.once('exit', (_code, signal) => resolve(signal)));
      const res = await post(api, `/review/${id}/resolve`, { files: FIXED });
      expect(await died).toBe('SIGKILL');
      // The job is the dead worker's until another notices: not withdrawn, the fix not lost.
      expect(res.statusCode).toBe(503);
      expect(res.json().message).toMatch(/^a worker is still verifying the files/);
      expect(await api.store.get(id)).toMatchObject({ status: 'manual-review' });
      expect((await api.store.get(id))?.attempts.at(-1)).toMatchObject({
        stage: 'manual',
        n: 1,
        outcome: 'passed',
      });
      next = await startWorkerFor(api, { JOB_LOCK_MS: '1000' });
      await nextWorkerDelivers(api, id);
      expect(await readFile(join(api.deliveryDir, 'legacy', 'lib', 'util.py'), 'utf8')).toBe(FIXED_UTIL);
      const library = new FixLibrary(api.redis, api.env.QUEUE_PREFIX);
      expect(await library.size()).toBe(1);
      const [fix] = (await library.list({}, 10)).items;
      expect(fix).toMatchObject({ success_count: 1 });
    } finally {
      await next?.close();
      await crashing.close();
      await api.close();
    }
  });
});

describe('a worker that dies during a resolve, its job back in the queue at the deadline', () => {
  test('503 "still verifying", not withdrawn (it may have recorded a pass); the next worker delivers it', async () => {
    const api = await startTestApi({ env: { RESOLVE_WAIT_MS: '1500', VERIFY_TIMEOUT_MS: '1000' } });
    // A worker's connection (BullMQ's blocking commands need maxRetriesPerRequest: null).
    const connection = createRedisClient(api.fixture.url, 'worker', silentLogger, 'test');
    const bull = { connection, prefix: api.env.QUEUE_PREFIX, autorun: false };
    // A worker that takes the files and dies: nothing renews its lock.
    const dead = new Worker(MANUAL_QUEUE, null, { ...bull, lockDuration: 200 });
    // Another worker's stalled check, which puts such a job back in the queue for the next worker.
    const checker = new Worker(MANUAL_QUEUE, null, { ...bull, stalledInterval: 100 });
    let next: { close(): Promise<void> } | undefined;
    try {
      const { id } = await parkForReview(api);
      const jobId = manualJobId(id, 1);
      const job = () => api.app.manualQueue.getJob(jobId);
      const pending = post(api, `/review/${id}/resolve`, { files: FIXED });
      await until('the files queued', async () => ((await job()) ? true : undefined));
      expect((await dead.getNextJob('a-worker-that-died'))?.id).toBe(jobId);
      await checker.startStalledCheckTimer();
      await until('the job back in the queue', async () =>
        (await (await job())?.getState()) === 'waiting' ? true : undefined,
      );
      await checker.close();

      const res = await pending;
      expect(res.statusCode).toBe(503);
      expect(res.json().message).toMatch(/^a worker is still verifying the files after 2500 ms/);
      expect(await (await job())?.getState()).toBe('waiting');
      expect(await api.store.get(id)).toMatchObject({ status: 'manual-review' });

      next = await startWorkerFor(api);
      await nextWorkerDelivers(api, id);
    } finally {
      await next?.close();
      await checker.close();
      await dead.close();
      await connection.quit();
      await api.close();
    }
  });
});

describe('two racing resolves', () => {
  withWorker('only one runs: the other is 409 review_in_progress', async ({ api, worker: _worker }) => {
    const { id } = await parkForReview(api);
    const answers = await Promise.all([
      post(api, `/review/${id}/resolve`, { files: FIXED }),
      post(api, `/review/${id}/resolve`, { files: FIXED }),
    ]);
    const refused = answers.filter((a) => a.statusCode === 409);
    expect(refused.map((a) => a.json().error)).toEqual(['review_in_progress']);
    // The other one ran, once: one manual attempt on the record, whatever its outcome.
    const manual = (await api.store.get(id))?.attempts.filter((a) => a.stage === 'manual');
    expect(manual).toEqual([expect.objectContaining({ n: 1 })]);
  });
});

describe('POST /review/:id/abandon', () => {
  test('abandons with the reason kept; a second abandon is 409', async ({ api }) => {
    const { id } = await parkForReview(api);
    const res = await post(api, `/review/${id}/abandon`, { reason: 'the original system is gone' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id, name: 'legacy', status: 'abandoned' });
    expect(await api.store.get(id)).toMatchObject({
      status: 'abandoned',
      abandonReason: 'the original system is gone',
    });
    expect((await api.store.countByStatus())['manual-review']).toBe(0);

    const again = await post(api, `/review/${id}/abandon`, { reason: 'the original system is gone' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: 'wrong_state', message: expect.stringContaining('is abandoned') });
    expect((await post(api, `/review/${id}/retry`)).statusCode).toBe(409);
  });

  test('an empty or missing reason is 400', async ({ api }) => {
    const { id } = await parkForReview(api);
    expect((await post(api, `/review/${id}/abandon`, { reason: '  ' })).json().message).toMatch(
      /^body\.reason: must not be empty/,
    );
    expect((await post(api, `/review/${id}/abandon`, {})).statusCode).toBe(400);
    expect((await api.store.get(id))?.status).toBe('manual-review');
  });
});

describe('review writes need the token', () => {
  for (const [action, body] of [
    ['retry', undefined],
    ['resolve', { files: FIXED }],
    ['abandon', { reason: 'x' }],
  ] as const) {
    test(`${action} without a token is 401 and changes nothing`, async ({ api }) => {
      const { id } = await parkForReview(api);
      const res = await post(api, `/review/${id}/${action}`, body, {});
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'unauthorized' });
      expect(await api.store.get(id)).toMatchObject({ status: 'manual-review', version: 1 });
    });
  }
});

describe('the review actions from every status', () => {
  test('retry and abandon move only a project in manual-review; from anywhere else: 409, nothing written', async ({
    api,
  }) => {
    for (const status of PROJECT_STATUSES) {
      for (const stage of STAGES_BY_STATUS[status]) {
        for (const action of ['retry', 'abandon'] as const) {
          const name = `from-${status}-${stage}-${action}`;
          const created = await api.store.create({ name, language: 'python', ...ENTRY_STATES.import });
          if (!created.created) throw new Error('expected a new project');
          const id = created.project.id;
          const before = await api.store.update(id, (p) => ({ ...p, status, stage }));
          const res = await post(
            api,
            `/review/${id}/${action}`,
            action === 'abandon' ? { reason: 'no' } : {},
          );
          const after = await api.store.mustGet(id);
          if (status !== 'manual-review') {
            expect(res.statusCode, name).toBe(409);
            expect(res.json(), name).toMatchObject({ error: 'wrong_state' });
            expect(after.version, name).toBe(before.version);
            continue;
          }
          expect(res.statusCode, name).toBe(action === 'retry' ? 202 : 200);
          expect(after, name).toMatchObject(
            action === 'retry'
              ? { status: 'hard-fix', stage: 'hard-fix', hardFixBase: 0 }
              : { status: 'abandoned', stage: 'manual', abandonReason: 'no' },
          );
        }
      }
    }
  });
});
