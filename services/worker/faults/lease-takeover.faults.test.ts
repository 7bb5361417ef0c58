import { describe, expect, it } from 'vitest';
import { FIXED_AREA_BLOCK, stillBroken } from '../test/programs.js';
import { startWorkerProcess, until, workerProcessEnv } from '../test/worker-process.js';
import { expectDeliveredOnce, startFlow, useFaultScene, waitForOutcome } from './fault-run.js';

describe('a worker paused past its job lock', () => {
  const { children, setup } = useFaultScene();

  it('loses the job to a second worker and, resumed, writes nothing after it', async () => {
    const { redis, fake, producer, deliveryDir } = await setup();

    let calls = 0;
    fake.setHandler((req) => {
      if (req.toolName !== 'replace_block') return undefined;
      calls += 1;
      // The first runner's answer is a failing one: were it written after the takeover, the project's
      // files would no longer be the delivered ones.
      // biome-ignore lint/suspicious/noThenProperty: the fake's reply shape, not a promise
      if (calls === 1) return { delayMs: 1_500, then: { tool: { code: stillBroken(1) } } };
      return { tool: { code: FIXED_AREA_BLOCK } };
    });

    const env = workerProcessEnv(redis, fake.url, deliveryDir);
    const first = await startWorkerProcess(env);
    children.push(first);
    let firstLog = '';
    first.stdout?.on('data', (chunk: Buffer) => {
      firstLog += chunk.toString();
    });

    const project = await startFlow(producer, 'paused', 'import');
    await until('the first runner asks the model', async () => (calls >= 1 ? true : undefined));
    first.kill('SIGSTOP');

    // The second worker finds the job's lock lapsed (JOB_LOCK_MS=1000), takes it over and delivers.
    children.push(await startWorkerProcess(env));
    const delivered = await waitForOutcome(producer, project.id);
    expect(delivered.status).toBe('delivered');
    const filesThen = await producer.store.getFiles(project.id);
    const attemptThen = await producer.store.getAttemptFiles(project.id, 'hard-fix', 1);

    // Resumed, the first runner gets its (failing) answer and tries to store it: refused by the fence.
    first.kill('SIGCONT');
    // Logged once its refused write threw: the runner writes nothing after it (worker.ts rethrows).
    await until('the first runner to notice it lost the lease', async () =>
      firstLog.includes('lease lost') ? true : undefined,
    );

    const after = await producer.store.mustGet(project.id);
    expect(after.version).toBe(delivered.version);
    expect(await producer.store.getFiles(project.id)).toEqual(filesThen);
    expect(await producer.store.getAttemptFiles(project.id, 'hard-fix', 1)).toEqual(attemptThen);
    expect(JSON.stringify(attemptThen)).not.toContain('PI_1');
    expect(calls).toBe(2);
    await expectDeliveredOnce(producer, redis.prefix, deliveryDir, [project]);
  });
});
