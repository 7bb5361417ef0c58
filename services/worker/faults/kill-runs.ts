import type { ChildProcess } from 'node:child_process';
import { FAULT_POINTS, type FaultPoint } from '@hardfix/core';
import { createRedisFixture, startFakeAnthropic } from '@hardfix/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_AREA_BLOCK } from '../test/programs.js';
import { openProducer, startWorkerProcess, until, workerProcessEnv } from '../test/worker-process.js';
import { deliveryDirFor, expectDeliveredOnce, importBroken } from './fault-run.js';

/**
 * Where the flow passes each point: the import's own files are a produced candidate (no model call) and
 * verified, then the model's fix is produced and verified.
 */
const PASSES: Record<FaultPoint, number> = {
  'llm-call': 2,
  verify: 2,
  'after-verify': 1,
  'after-delivery': 1,
};

function plan(seed: number, runs: number): { point: FaultPoint; pass: number }[] {
  let state = seed || 1;
  const next = () => {
    // xorshift32: a replayable sequence from FAULT_SEED.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  // Every point at least once, then random ones.
  return Array.from({ length: runs }, (_, i) => {
    const point =
      i < FAULT_POINTS.length ? FAULT_POINTS[i] : FAULT_POINTS[Math.floor(next() * FAULT_POINTS.length)];
    if (!point) throw new Error('no fault point');
    return { point, pass: 1 + Math.floor(next() * PASSES[point]) };
  });
}

/**
 * `runs` runs, each: a worker process that SIGKILLs itself at a random point of an import → hard fix →
 * library save → delivery flow (HARDFIX_FAULT_KILL_AT), then a clean worker that takes the job over
 * once its lock lapses. The seed (FAULT_SEED) replays a sequence.
 */
export function describeKillRuns(seed: number, runs: number): void {
  describe(`a worker SIGKILLed at random points (seed ${seed})`, () => {
    const children: ChildProcess[] = [];
    const cleanups: (() => Promise<unknown>)[] = [];
    let fake: Awaited<ReturnType<typeof startFakeAnthropic>>;

    beforeAll(async () => {
      fake = await startFakeAnthropic({ apiKey: 'test-anthropic-key' });
      fake.setHandler((req) => {
        if (req.toolName !== 'replace_block') return undefined;
        return { tool: { code: FIXED_AREA_BLOCK } };
      });
    });
    afterAll(() => fake.close());
    afterEach(async () => {
      for (const child of children.splice(0)) child.kill('SIGKILL');
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
      fake.reset();
    });

    it.each(plan(seed, runs).map((p, i) => ({ ...p, i: i + 1 })))(
      'run $i: killed at $point (pass $pass), delivered exactly once by the next worker',
      async ({ point, pass, i }) => {
        const redis = await createRedisFixture();
        cleanups.push(() => redis.cleanup());
        const producer = openProducer(redis);
        cleanups.push(producer.close);
        const deliveryDir = await deliveryDirFor(cleanups);
        const env = workerProcessEnv(redis, fake.url, deliveryDir);

        const doomed = await startWorkerProcess({ ...env, HARDFIX_FAULT_KILL_AT: `${point}:${pass}` });
        children.push(doomed);
        const died = new Promise<NodeJS.Signals | null>((ok) =>
          doomed.once('exit', (_code, signal) => ok(signal)),
        );
        const project = await importBroken(producer, `fault-${i}`);
        // Once the doomed worker holds the job (its first write), the next worker may start: it cannot
        // take the job before the lock lapses, and starting it now saves a process start per run. (A
        // kill before the first write starts it after the death.)
        await Promise.race([
          died,
          until('the doomed worker to take the job', async () =>
            ((await producer.store.get(project.id))?.version ?? 0) > 0 ? true : undefined,
          ),
        ]);
        const successor = startWorkerProcess(env);
        successor.then(
          (child) => children.push(child),
          () => {},
        );
        expect(await died).toBe('SIGKILL');
        const callsBefore = fake.callsFor('replace_block').length;
        await successor;
        await expectDeliveredOnce(producer, redis.prefix, deliveryDir, project);

        // An answer stored before the kill is never asked for again; only one lost with the process is.
        const answers = fake.callsFor('replace_block').length;
        const beforeTheModel = pass === 1 && (point === 'verify' || point === 'llm-call');
        expect(callsBefore).toBe(beforeTheModel ? 0 : 1);
        expect(answers).toBe(point === 'llm-call' && pass === 2 ? 2 : 1);
      },
      60_000,
    );
  });
}
