import { QUEUES, stageJobId } from '@hardfix/contracts';
import { enqueueStage, keys } from '@hardfix/core';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';
import { BROKEN_AREA, FIXED_AREA, FIXED_AREA_BLOCK } from './programs.js';

describe('no silent orphans', () => {
  const startHarness = harnessPerTest();

  it('the periodic sweep gives a job back to an active project that has none', async () => {
    const h = await startHarness({ ORPHAN_SWEEP_MS: '200' });
    const harness = h;
    harness.fake.setHandler((req) =>
      req.toolName === 'write_project' ? { tool: { files: [FIXED_AREA] } } : undefined,
    );
    // Written after the worker's start-up recovery, with no job: what a crash between the project's
    // write and its job's add leaves.
    const created = await harness.store.create({
      name: 'orphan',
      language: 'python',
      prompt: 'print the area of a circle of radius 2',
      status: 'queued',
      stage: 'generation',
    });
    if (!created.created) throw new Error('name taken');
    const project = await harness.waitForStatus(created.project.id, ['delivered', 'manual-review'], 20_000);
    expect(project.status).toBe('delivered');
    expect(project.attempts).toHaveLength(1);
  });

  it('a hand-off lost after a failed attempt is repeated by the sweep (the attempt is not re-run)', async () => {
    const h = await startHarness({ ORPHAN_SWEEP_MS: '200' });
    const harness = h;
    harness.fake.setHandler((req) =>
      req.toolName === 'replace_block' ? { tool: { code: FIXED_AREA_BLOCK } } : undefined,
    );
    // A hard-fix round whose attempt 1 failed and whose job 2 was never added (a crash in between).
    const created = await harness.store.create({
      name: 'lost-hand-off',
      language: 'python',
      status: 'hard-fix',
      stage: 'hard-fix',
      files: { files: [BROKEN_AREA] },
    });
    if (!created.created) throw new Error('name taken');
    await harness.store.update(created.project.id, (p) => ({
      ...p,
      hardFixBase: 0,
      attempts: [
        {
          n: 1,
          stage: 'hard-fix',
          outcome: 'failed',
          at: new Date().toISOString(),
          strategy: 'conservative',
        },
      ],
    }));
    const project = await harness.waitForStatus(created.project.id, ['delivered', 'manual-review'], 20_000);
    expect(project.status).toBe('delivered');
    expect(project.attempts.map((a) => `${a.stage}:${a.n}:${a.outcome}`)).toContain('hard-fix:1:failed');
    // Attempt 1 was recorded, so it was not asked for again: only attempt 2 asked the model.
    expect(harness.fake.callsFor('replace_block')).toHaveLength(1);
    expect(project.attempts.at(-1)).toMatchObject({ stage: 'hard-fix', n: 2, outcome: 'passed' });
  });

  it('a hard-fix job from an earlier review round is dropped as stale, the project untouched', async () => {
    const h = await startHarness();
    const harness = h;
    const created = await harness.store.create({
      name: 'second-round',
      language: 'python',
      status: 'hard-fix',
      stage: 'hard-fix',
      files: { files: [BROKEN_AREA] },
    });
    if (!created.created) throw new Error('name taken');
    const id = created.project.id;
    // A reviewer's retry started round two after attempt 20; job 3 of round one is still queued.
    const round = await harness.store.update(id, (p) => ({ ...p, hardFixBase: 20 }));
    await enqueueStage(harness.worker.deps.queues, QUEUES.hardFix, id, 3);
    const job = await harness.worker.deps.queues[QUEUES.hardFix].getJob(stageJobId(QUEUES.hardFix, id, 3));
    if (!job) throw new Error('job not added');
    for (let i = 0; i < 200 && !(await job.isCompleted()); i++) await new Promise((r) => setTimeout(r, 50));
    const done = await harness.worker.deps.queues[QUEUES.hardFix].getJob(stageJobId(QUEUES.hardFix, id, 3));
    expect(done?.returnvalue).toBe('stale');
    const after = await harness.store.mustGet(id);
    expect(after.version).toBe(round.version);
    expect(after.parked).toBeUndefined();
    expect(harness.fake.callsFor('replace_block')).toHaveLength(0);
  });

  it('a job that failed for good leaves its project parked with the reason, also when found by the sweep', async () => {
    const h = await startHarness({ ORPHAN_SWEEP_MS: '200' });
    const harness = h;
    const created = await harness.store.create({
      name: 'failing-job',
      language: 'python',
      status: 'hard-fix',
      stage: 'hard-fix',
      files: { files: [BROKEN_AREA] },
    });
    if (!created.created) throw new Error('name taken');
    const id = created.project.id;
    // A record no code can read: the job throws a plain error, BullMQ's only attempt fails.
    await harness.redis.redis.set(keys(harness.env.QUEUE_PREFIX).projectFiles(id), '{"files":5}');
    await harness.worker.deps.queues[QUEUES.hardFix].add(
      QUEUES.hardFix,
      { projectId: id, n: 1 },
      { jobId: stageJobId(QUEUES.hardFix, id, 1), attempts: 1 },
    );
    const parked = async () => {
      for (let i = 0; i < 200; i++) {
        const p = await harness.store.mustGet(id);
        if (p.parked) return p.parked.reason;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the project was never parked');
    };
    expect(await parked()).toMatch(/^hard-fix job failed for good \(.+\); retry it in Bull Board/s);
    // Unparked without a retry (or a stalled-out job, for which BullMQ raises no failed event): the
    // sweep finds the failed job and parks the project again rather than re-running it.
    await harness.store.update(id, (p) => ({ ...p, parked: undefined }));
    expect(await parked()).toMatch(/^hard-fix job failed for good/);
    const job = await harness.worker.deps.queues[QUEUES.hardFix].getJob(stageJobId(QUEUES.hardFix, id, 1));
    expect(await job?.getState()).toBe('failed');
  });
});
