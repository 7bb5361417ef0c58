import { randomBytes } from 'node:crypto';
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
import { PrivateRedis } from './private-redis.js';

const NAMES = ['gen-a', 'gen-b', 'gen-c'];

/**
 * Two workers on a private Redis, three generated projects (the imported flow is the kill runs'); Redis is restarted, or
 * every client connection dropped, while model answers are in flight.
 */
describe.each([
  { fault: 'Redis restarted (append-only file) while the model answers', restart: true },
  {
    fault: 'every client connection dropped (CLIENT KILL TYPE normal) while the model answers',
    restart: false,
  },
])('$fault', ({ restart }) => {
  const { children, cleanups, setup } = useFaultScene();

  it('delivers every project exactly once, each repair counted once, every paid answer accounted for', async () => {
    const server = await PrivateRedis.start();
    cleanups.push(() => server.stop());
    const { redis, fake, producer, deliveryDir } = await setup({
      url: server.url,
      prefix: `faults-${randomBytes(4).toString('hex')}`,
    });
    const script = new ModelScript(producer, 1_000);
    fake.setHandler(script.handler);

    const env = workerProcessEnv(redis, fake.url, deliveryDir, FLOW_ENV);
    children.push(await startWorkerProcess(env), await startWorkerProcess(env));
    const projects = [];
    for (const name of NAMES) {
      const project = await startFlow(producer, name, 'generation');
      script.track(project);
      projects.push(project);
    }

    // Mid-run: answers are in flight and earlier ones stored.
    await until('five model calls', async () => (fake.requests.length >= 5 ? true : undefined));
    const faultFrom = Date.now();
    if (restart) await server.restart();
    else expect(await server.dropClients()).toBeGreaterThan(0);
    const faultTo = Date.now();
    // Asked before the fault ended, answered after it began.
    const inFlight = script.calls.filter((c) => c.at <= faultTo && faultFrom < c.at + script.delayMs);
    expect(inFlight.length).toBeGreaterThan(0);

    await expectDeliveredOnce(producer, redis.prefix, deliveryDir, projects);
    // The server's log against the projects' records: every request was for one of these projects, and
    // each is either the stored answer of its step or one provably never stored (asked again once).
    expect(fake.requests).toHaveLength(script.calls.length);
    let recorded = 0;
    let unrecorded = 0;
    for (const project of projects) {
      const asked = script.calls.filter((c) => c.project === project.name).length;
      const accounted = await expectAnswersAccounted(producer, project, script.calls);
      unrecorded += accounted.unrecorded;
      recorded += asked - accounted.unrecorded;
      // A stored answer's usage was recorded before it (same runner); a lost one's may not have been.
      const usage = (await producer.store.mustGet(project.id)).usage.calls;
      expect(usage).toBeGreaterThanOrEqual(asked - accounted.unrecorded);
      expect(usage).toBeLessThanOrEqual(asked);
    }
    expect(fake.requests.length).toBe(recorded + unrecorded);
    console.info(
      `${restart ? 'restart' : 'drop'}: ${inFlight.length} answers in flight at the fault; ${recorded} stored, ${unrecorded} provably never stored`,
    );
    for (const child of children) expect(child.exitCode).toBeNull();
  });
});
