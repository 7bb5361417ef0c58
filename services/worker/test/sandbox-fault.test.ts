import { chmod, rm } from 'node:fs/promises';
import { createSandbox } from '@hardfix/sandbox';
import { writeFilesAnswer } from '@hardfix/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, waitUntil } from './harness.js';
import { BROKEN_AREA, FIXED_AREA, stillBroken } from './programs.js';
import { until } from './worker-process.js';

const quiet = { info() {}, warn() {}, error() {} };

describe('a sandbox that cannot run programs is not the program’s fault', () => {
  let h: Harness | undefined;
  let workDir: string | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    if (workDir) await rm(workDir, { recursive: true, force: true });
    workDir = undefined;
  });

  it('broken mid-run: zero attempts and no second LLM call; parked, /ready 503; repaired: delivered', async () => {
    // A work root of this test's own, so making it unreadable touches no other test.
    workDir = `/var/tmp/hardfix-test-fault-${process.pid}`;
    h = await startHarness({ SANDBOX_WORK_DIR: workDir });
    const harness = h;
    expect((await harness.get('/ready')).status).toBe(200);
    harness.fake.enqueue('write_files', writeFilesAnswer([FIXED_AREA]));

    // The sandbox users can no longer enter the work root: bubblewrap cannot mount the workspace.
    await chmod(workDir, 0o000);
    const { body } = await harness.post('/projects', { name: 'fault', language: 'python', prompt: 'area' });
    const id = body.id as string;
    const parked = await until('the project to park', async () => {
      const p = await harness.store.get(id);
      return p?.parked ? p : undefined;
    });
    expect(parked.parked?.reason).toMatch(
      /^sandbox fault \(not the program's\): the sandbox did not come up/,
    );
    expect(parked.attempts).toEqual([]);
    expect(harness.fake.callsFor('write_files')).toHaveLength(1);
    const ready = await harness.get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ error: 'sandbox_unavailable' });
    expect(String(ready.body.message)).toMatch(/worker .*: .*sandbox/);
    const status = await harness.get('/status');
    expect(status.body).toMatchObject({ sandbox: { workers: [{ state: 'failed' }] } });

    await chmod(workDir, 0o711);
    const delivered = await harness.waitForStatus(id, ['delivered', 'manual-review']);
    expect(delivered.status).toBe('delivered');
    expect(delivered.parked).toBeUndefined();
    expect(delivered.attempts.map((a) => [a.stage, a.n, a.outcome])).toEqual([['generation', 1, 'passed']]);
    // The stored answer was verified again; the model was not asked twice.
    expect(harness.fake.callsFor('write_files')).toHaveLength(1);
    await until('/ready to recover', async () =>
      (await harness.get('/ready')).status === 200 ? true : undefined,
    );
  });

  it('a resolve whose verification hits a sandbox fault: 503, nothing recorded; repaired: the same files resolve', async () => {
    workDir = `/var/tmp/hardfix-test-fault-resolve-${process.pid}`;
    h = await startHarness({
      SANDBOX_WORK_DIR: workDir,
      HARD_FIX_MAX_ATTEMPTS: '1',
      RETRY_INTERVAL_MS: '10',
    });
    const harness = h;
    harness.fake.enqueue('replace_block', { tool: { code: stillBroken(1) } });
    const id = await harness.importProject('review-fault', 'python', [BROKEN_AREA]);
    const waiting = await harness.waitForStatus(id, ['manual-review']);

    await chmod(workDir, 0o000);
    const refused = await harness.post(`/review/${id}/resolve`, { files: [FIXED_AREA] });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'sandbox_unavailable' });
    expect(String(refused.body.message)).toMatch(
      /^the sandbox could not run the code: .*; the project stays in manual review$/,
    );
    expect(await harness.store.mustGet(id)).toMatchObject({
      status: 'manual-review',
      attempts: waiting.attempts,
    });

    await chmod(workDir, 0o711);
    await until('/ready to recover', async () =>
      (await harness.get('/ready')).status === 200 ? true : undefined,
    );
    const resolved = await harness.post(`/review/${id}/resolve`, { files: [FIXED_AREA] });
    expect(resolved).toMatchObject({ status: 200, body: { id, status: 'delivered' } });
    expect((await harness.store.mustGet(id)).attempts.at(-1)).toMatchObject({
      stage: 'manual',
      n: 1,
      outcome: 'passed',
    });
  });

  it('a self-test that fails at start: the worker takes no job, makes no LLM call, /ready 503 names it', async () => {
    const sandbox = await createSandbox({ logger: quiet, interpreters: { python3: '/usr/bin/false' } });
    h = await startHarness({}, { sandbox });
    const { body } = await h.post('/projects', { name: 'never', language: 'python', prompt: 'area' });
    // The gate has decided (the first self-test failed): from here no worker may take the job.
    const harness = h;
    await waitUntil(
      async () => String((await harness.get('/ready')).body.message).includes('self-test failed'),
      'the failed self-test published',
    );
    expect((await h.store.get(body.id as string))?.status).toBe('queued');
    expect(h.fake.requests).toHaveLength(0);
    const ready = await h.get('/ready');
    expect(ready.status).toBe(503);
    expect(String(ready.body.message)).toMatch(
      /self-test failed for python: a known-good python program failed/,
    );
    const status = await h.get('/status');
    expect(status.body).toMatchObject({
      sandbox: {
        workers: [{ state: 'failed', languages: { python: { ok: false }, javascript: { ok: true } } }],
      },
    });
  });

  it('a write_files answer with a repeated path fails that attempt at once; the next one is delivered', async () => {
    h = await startHarness();
    // toolRaw: the test kit refuses to script an answer that breaks the contract unless told to.
    h.fake.enqueue(
      'write_files',
      { toolRaw: { files: [FIXED_AREA, FIXED_AREA] } },
      writeFilesAnswer([FIXED_AREA]),
    );
    const { body } = await h.post('/projects', { name: 'dup', language: 'python', prompt: 'area' });
    const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review']);
    expect(project.attempts.map((a) => [a.n, a.outcome, a.error?.type])).toEqual([
      [1, 'failed', 'InvalidModelAnswer'],
      [2, 'passed', undefined],
    ]);
    expect(project.attempts[0]?.error?.message).toMatch(/must not repeat a path/);
    expect(h.fake.callsFor('write_files')).toHaveLength(2);
  });
});
