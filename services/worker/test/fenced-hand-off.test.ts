import { QUEUE_NAMES, type QueueName, stageJobId } from '@hardfix/contracts';
import { errorSignature, LeaseLostError, STATS, withFence } from '@hardfix/core';
import { runInJob } from '@hardfix/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { carryOut } from '../src/hand-off.js';
import { recordLibrarySuccess } from '../src/library.js';
import { type Harness, startHarness } from './harness.js';

const FAILURE = { type: 'NameError', message: "name 'json' is not defined", line: 1 };
const SIG = errorSignature({ language: 'python', ...FAILURE });

describe('hand-offs and library saves of a runner', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** A project in generation, with the stage queues paused so that no job added here runs. */
  async function setup() {
    h = await startHarness();
    const { deps } = h.worker;
    for (const name of QUEUE_NAMES) await deps.queues[name].pause();
    const created = await h.store.create({
      name: 'fenced-hand-off',
      language: 'python',
      prompt: 'print json',
      status: 'generating',
      stage: 'generation',
    });
    if (!created.created) throw new Error('name taken');
    return { harness: h, deps, id: created.project.id };
  }

  const jobOf = (harness: Harness, queue: QueueName, id: string, n: number) =>
    harness.worker.deps.queues[queue].getJob(stageJobId(queue, id, n));

  it('are refused once another runner holds the job: nothing moves, no job is added, no fix counted', async () => {
    const { harness, deps, id } = await setup();
    // A fix saved outside any job (as the API's manual resolve does): not fenced.
    await deps.library.saveSuccess({
      signature: SIG,
      errorType: 'NameError',
      language: 'python',
      description: 'import json',
      workingCode: 'import json',
      originalCode: '',
      attempts: 1,
      projectName: 'earlier',
      source: 'manual',
    });
    const project = await harness.store.mustGet(id);
    const counters = await harness.store.counters();

    const outcome = await runInJob(harness.redis.url, harness.env.QUEUE_PREFIX, async (lock) => {
      await harness.redis.redis.set(lock.key, 'another-runner-token');
      return withFence(lock, () =>
        Promise.allSettled([
          carryOut(deps, project, 'generation', { kind: 'move', to: 'smart-retry' }),
          carryOut(deps, project, 'generation', {
            kind: 'next-attempt',
            queue: 'generation',
            n: 2,
            delayMs: 0,
          }),
          carryOut(deps, project, 'generation', { kind: 'manual-review', reason: 'budget' }),
          recordLibrarySuccess(
            deps,
            project,
            { fixId: SIG, failure: FAILURE, code: 'import json' },
            1,
            'tests',
          ),
        ]),
      );
    });
    expect(outcome.status).toBe('fulfilled');
    const results = outcome.status === 'fulfilled' ? outcome.value : [];
    expect(results).toHaveLength(4);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(LeaseLostError);
    }

    expect(await harness.store.mustGet(id)).toEqual(project);
    expect(await harness.store.counters()).toEqual(counters);
    expect(await jobOf(harness, 'hard-fix', id, 1)).toBeUndefined();
    expect(await jobOf(harness, 'smart-retry', id, 1)).toBeUndefined();
    expect(await jobOf(harness, 'generation', id, 2)).toBeUndefined();
    expect(await deps.library.get(SIG)).toMatchObject({
      success_count: 1,
      used_by_projects: ['earlier'],
      evidence: 'run-only',
    });
  });

  it('go through while the runner holds its job', async () => {
    const { harness, deps, id } = await setup();
    const outcome = await runInJob(harness.redis.url, harness.env.QUEUE_PREFIX, (lock) =>
      withFence(lock, async () => {
        const held = () => harness.store.mustGet(id);
        await carryOut(deps, await held(), 'generation', { kind: 'move', to: 'smart-retry' });
        await carryOut(deps, await held(), 'smart-retry', { kind: 'move', to: 'hard-fix' });
        await carryOut(deps, await held(), 'hard-fix', {
          kind: 'next-attempt',
          queue: 'hard-fix',
          n: 2,
          delayMs: 0,
        });
        await carryOut(deps, await held(), 'hard-fix', { kind: 'manual-review', reason: 'exhausted' });
      }),
    );
    expect(outcome.status).toBe('fulfilled');
    expect(await harness.store.mustGet(id)).toMatchObject({ stage: 'manual', status: 'manual-review' });
    expect(await jobOf(harness, 'smart-retry', id, 1)).toBeDefined();
    expect(await jobOf(harness, 'hard-fix', id, 1)).toBeDefined();
    expect(await jobOf(harness, 'hard-fix', id, 2)).toBeDefined();
    expect((await harness.store.counters())[STATS.exhausted]).toBe(1);
  });
});
