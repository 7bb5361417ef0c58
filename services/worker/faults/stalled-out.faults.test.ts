import type { ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { QUEUES, stageJobId } from '@hardfix/contracts';
import { keys, parseOutboxEntry, type RawStreamEntry } from '@hardfix/core';
import { describe, expect, it } from 'vitest';
import { startWorkerProcess, until, workerProcessEnv } from '../test/worker-process.js';
import {
  expectAnswersAccounted,
  expectDeliveredOnce,
  FLOW_ENV,
  ModelScript,
  startFlow,
  useFaultScene,
} from './fault-run.js';

describe('a job BullMQ fails as stalled too many times', () => {
  const { children, setup } = useFaultScene();

  it('parks its project with the reason; retried, it is delivered once and no stored answer is paid twice', async () => {
    const { redis, fake, producer, deliveryDir } = await setup();
    // Each answer takes long enough for its runner to be paused while it waits.
    const script = new ModelScript(producer, 2_500);
    fake.setHandler(script.handler);
    // One takeover is allowed; the second stall fails the job for good.
    const env = workerProcessEnv(redis, fake.url, deliveryDir, {
      ...FLOW_ENV,
      JOB_MAX_STALLED: '1',
      ORPHAN_SWEEP_MS: '300',
    });
    const logs = new Map<ChildProcess, string>();
    const start = async () => {
      const child = await startWorkerProcess(env);
      children.push(child);
      logs.set(child, '');
      child.stdout?.on('data', (chunk: Buffer) => logs.set(child, `${logs.get(child)}${chunk.toString()}`));
      return child;
    };

    const a = await start();
    const project = await startFlow(producer, 'stalls', 'import');
    script.track(project);
    await until('the first runner asks the model', async () => (script.calls.length >= 1 ? true : undefined));
    a.kill('SIGSTOP');
    // B's stalled check finds A's lock lapsed: the job's first stall; B takes it and asks the model.
    const b = await start();
    await until('the second runner asks the model', async () =>
      script.calls.length >= 2 ? true : undefined,
    );
    b.kill('SIGSTOP');
    // A, resumed, is refused its writes, and its stalled check finds B's lock lapsed: the second stall.
    a.kill('SIGCONT');

    const parked = await until('the project parked', async () => {
      const p = await producer.store.get(project.id);
      return p?.parked ? p : undefined;
    });
    const job = await producer.queues[QUEUES.hardFix].getJob(stageJobId(QUEUES.hardFix, project.id, 1));
    expect(await job?.getState()).toBe('failed');
    expect(job?.failedReason).toBe('job stalled more than allowable limit');
    expect(parked.status).toBe('hard-fix');
    expect(parked.parked?.reason).toContain('job stalled more than allowable limit');
    expect(parked.parked?.reason).toContain('/admin/queues');
    expect(logs.get(a)).toContain('lease lost');

    // B, resumed, gets its answer and is refused too: nothing of either paused runner lands.
    b.kill('SIGCONT');
    await until('the second runner to notice it lost the lease', async () =>
      logs.get(b)?.includes('lease lost') ? true : undefined,
    );
    const after = await producer.store.mustGet(project.id);
    expect(after.version).toBe(parked.version);
    expect(await producer.store.getAttemptFiles(project.id, 'hard-fix', 1)).toBeUndefined();
    expect(await readdir(deliveryDir)).toEqual([]);
    const events = ((await producer.producer.xrange(keys(redis.prefix).events, '-', '+')) as RawStreamEntry[])
      .map(parseOutboxEntry)
      .filter((e) => e?.event.type === 'project.delivered');
    expect(events).toEqual([]);

    // The operator's retry (Bull Board's button) runs the job again: delivered once, the park cleared.
    await job?.retry('failed');
    await expectDeliveredOnce(producer, redis.prefix, deliveryDir, [project]);
    expect((await producer.store.mustGet(project.id)).parked).toBeUndefined();
    // The two paused runners' answers were never stored; the third was, and nothing more was asked.
    const { repeated, unrecorded } = await expectAnswersAccounted(producer, project, script.calls, 3);
    expect(repeated).toEqual(['hard-fix:1']);
    expect(unrecorded).toBe(2);
    expect(script.calls).toHaveLength(3);
  });
});
