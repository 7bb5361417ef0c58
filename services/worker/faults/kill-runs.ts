import type { ChildProcess } from 'node:child_process';
import type { FaultPoint } from '@hardfix/core';
import { createRedisFixture, startFakeAnthropic } from '@hardfix/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  openProducer,
  spawnWorkerProcess,
  startWorkerProcess,
  workerProcessEnv,
} from '../test/worker-process.js';
import {
  deliveryDirFor,
  exited,
  expectAnswersAccounted,
  expectDeliveredOnce,
  type FaultProject,
  FLOW_ENV,
  type Flow,
  ModelScript,
  startFlow,
} from './fault-run.js';

/**
 * A kill: a fault point the worker dies at (HARDFIX_FAULT_KILL_AT), or `in-flight`, where the test
 * SIGKILLs the worker while the Messages API server holds its request unanswered.
 */
interface Kill {
  point: FaultPoint | 'in-flight';
  /** Where in the flow; undefined: the only place the point is passed. */
  step?: string;
}

const asked = (step: string): Kill[] => [
  { point: 'in-flight', step },
  { point: 'llm-call', step },
  { point: 'answer-stored', step },
];
const failing = (step: string): Kill[] => [
  { point: 'verify', step },
  { point: 'before-hand-off', step },
];
const passing = (step: string): Kill[] => [
  { point: 'verify', step },
  { point: 'after-verify', step },
];

/** Every kill of each flow, in the order a run passes them (see Flow). */
const KILLS: Record<Flow, Kill[]> = {
  generation: [
    ...asked('generation:1'),
    ...failing('generation:1'),
    ...asked('generation:2'),
    ...failing('generation:2'),
    ...asked('analysis'),
    ...asked('smart-retry:1'),
    ...failing('smart-retry:1'),
    ...asked('hard-fix:1'),
    ...passing('hard-fix:1'),
    { point: 'after-delivery' },
  ],
  import: [
    { point: 'answer-stored', step: 'import:1' },
    ...failing('import:1'),
    ...asked('hard-fix:1'),
    ...passing('hard-fix:1'),
    { point: 'after-delivery' },
  ],
};

const ATTEMPTS: Record<Flow, string[]> = {
  generation: ['generation:1:failed', 'generation:2:failed', 'smart-retry:1:failed', 'hard-fix:1:passed'],
  import: ['import:1:failed', 'hard-fix:1:passed'],
};

interface Run {
  flow: Flow;
  kills: Kill[];
}

/**
 * Two kills per run, drawn from every point of both flows: the first anywhere but the last point, the
 * second at a later step of the same flow (the next worker passes it after taking the job over).
 */
export function plan(seed: number, runs: number): Run[] {
  // murmur3's finaliser: neighbouring seeds (the two files') start far apart.
  let state = seed;
  state = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35);
  state = state ^ (state >>> 16) || 1;
  const next = () => {
    // xorshift32: a replayable sequence from FAULT_SEED.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const pool = (['generation', 'import'] as const).flatMap((flow) =>
    KILLS[flow].slice(0, -1).map((_, i) => ({ flow, i })),
  );
  return Array.from({ length: runs }, () => {
    const first = pool[Math.floor(next() * pool.length)];
    if (!first) throw new Error('empty pool');
    const kills = KILLS[first.flow];
    const firstKill = kills[first.i];
    // A later step (each lost answer is then asked for once more, never twice).
    const later = kills.slice(first.i + 1).filter((k) => k.step !== firstKill?.step);
    const second = later[Math.floor(next() * later.length)];
    if (!firstKill || !second) throw new Error('no second kill');
    return { flow: first.flow, kills: [firstKill, second] };
  });
}

const label = (k: Kill) => (k.step ? `${k.point}@${k.step}` : k.point);

/**
 * FAULT_RUNS (default 5) runs, each: a worker process SIGKILLed at one point of a flow, the next worker
 * (taking the job over once its lock lapses) SIGKILLed at a later point, then a clean worker that
 * finishes. FAULT_SEED replays a sequence; it is printed and in the suite's name. `file` tells the two
 * files (one per core) apart.
 */
export function describeKillRuns(file: number): void {
  const base = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
  const runs = Number(process.env.FAULT_RUNS ?? 5);
  const runsPlanned = plan(base + file, runs).map((r, i) => ({
    ...r,
    i: i + 1,
    kills_: r.kills.map(label).join(' then '),
  }));
  console.info(
    `fault runs, file ${file}: FAULT_SEED=${base} replays ${runsPlanned.map((r) => r.kills_).join('; ')}`,
  );
  describe(`a worker SIGKILLed at random points (FAULT_SEED=${base}, file ${file})`, () => {
    const children: ChildProcess[] = [];
    const cleanups: (() => Promise<unknown>)[] = [];
    let fake: Awaited<ReturnType<typeof startFakeAnthropic>>;

    beforeAll(async () => {
      fake = await startFakeAnthropic({ apiKey: 'test-anthropic-key' });
    });
    afterAll(() => fake.close());
    afterEach(async () => {
      for (const child of children.splice(0)) child.kill('SIGKILL');
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
      fake.reset();
    });

    it.each(runsPlanned)(
      'run $i ($flow): killed at $kills_, delivered exactly once by the last worker',
      async ({ flow, kills, i }) => {
        const redis = await createRedisFixture();
        cleanups.push(() => redis.cleanup());
        const producer = openProducer(redis);
        cleanups.push(producer.close);
        const deliveryDir = await deliveryDirFor(cleanups);
        const env = workerProcessEnv(redis, fake.url, deliveryDir, FLOW_ENV);
        const script = new ModelScript(producer);
        fake.setHandler(script.handler);

        let project: FaultProject | undefined;
        for (const kill of kills) {
          const held =
            kill.point === 'in-flight' ? script.holdNext(`fault-${i}`, kill.step ?? '') : undefined;
          const { child, started } = spawnWorkerProcess(
            kill.point === 'in-flight' ? env : { ...env, HARDFIX_FAULT_KILL_AT: label(kill) },
          );
          children.push(child);
          const died = exited(child);
          started.catch(() => {});
          await Promise.race([started, died]);
          // The first worker is up before there is work, so its death is never mistaken for a failed start.
          if (!project) {
            project = await startFlow(producer, `fault-${i}`, flow);
            script.track(project);
          }
          if (held) {
            await held;
            child.kill('SIGKILL');
          }
          expect(await died, `the worker killed at ${label(kill)}`).toBe('SIGKILL');
        }
        if (!project) throw new Error('no kill planned');
        children.push(await startWorkerProcess(env));
        await expectDeliveredOnce(producer, redis.prefix, deliveryDir, [project]);

        const p = await producer.store.mustGet(project.id);
        expect(p.attempts.map((a) => `${a.stage}:${a.n}:${a.outcome}`)).toEqual(ATTEMPTS[flow]);
        // Only an answer lost with its process is asked for again, once; every stored one exactly once.
        const lost = kills.filter((k) => k.point === 'in-flight' || k.point === 'llm-call');
        const { repeated } = await expectAnswersAccounted(producer, project, script.calls);
        expect(repeated.sort()).toEqual(lost.map((k) => k.step).sort());
        // Usage is recorded when the answer arrives: a call cut off in flight was never counted.
        const inFlight = kills.filter((k) => k.point === 'in-flight').length;
        expect(p.usage.calls).toBe(script.calls.length - inFlight);
      },
      120_000,
    );
  });
}
