/**
 * `pnpm bench:scale`: how delivery scales with worker processes, what one stage hop costs next to raw
 * BullMQ, and how much memory each process holds.
 *
 * 1. Scale: the compiled API and 1, 2, then 4 compiled worker processes (`pnpm start:*`'s commands),
 *    each with WORKER_CONCURRENCY jobs at once, deliver PROJECTS projects posted at once. The model is
 *    the test kit's Messages API answering every call after a fixed delay, so the load is
 *    LLM-latency-bound as in production; verification is the real bubblewrap sandbox.
 *    Reported: delivered projects/s, and each process's RSS idle and at its peak under load.
 * 2. Hop: in this process, HOP_JOBS jobs through one of our stage hops (read the project, write it
 *    back through the store's compare-and-set, hand it to the next stage queue) against the same number
 *    of no-op jobs through raw BullMQ, same connection and concurrency.
 *
 *   pnpm bench:scale [--projects 64] [--delay 2000] [--concurrency 2] [--hops 2000]
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { QUEUES, type StageJob } from '@hardfix/contracts';
import { createLogger, createQueues, createRedisClient, enqueueStage, ProjectStore } from '@hardfix/core';
import { deleteKeysWithPrefix, simulatedClaude, startFakeAnthropic } from '@hardfix/testkit';
import { Queue, Worker } from 'bullmq';
import { positiveIntArg } from './lib/cli-args.js';

const ROOT = resolve(import.meta.dirname, '..');
const PROJECTS = positiveIntArg('projects', 64);
const DELAY_MS = positiveIntArg('delay', 2000);
const CONCURRENCY = positiveIntArg('concurrency', 2);
const HOP_JOBS = positiveIntArg('hops', 2000);
const WORKER_COUNTS = [1, 2, 4];
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOKEN = randomBytes(16).toString('hex');

const rssMb = async (pid: number | undefined) => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A compiled service process, resolved once it logged `readyLine`. */
function start(script: string, env: Record<string, string>, readyLine: string) {
  const [, ...argv] = script.split(' ');
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise<{ child: ChildProcess; out: string }>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${script} did not start:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(readyLine)) {
        clearTimeout(timer);
        ok({ child, out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${script} exited with ${code}:\n${out}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((r) => {
    if (child.exitCode !== null) return r();
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });

interface ScaleRow {
  workers: number;
  perSecond: number;
  seconds: number;
  workerIdleMb: number;
  workerPeakMb: number;
  apiPeakMb: number;
}

async function scale(): Promise<ScaleRow[]> {
  const { scripts } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const fake = await startFakeAnthropic({
    apiKey: 'bench',
    // biome-ignore lint/suspicious/noThenProperty: the fake's delayed-reply shape
    handler: (req) => ({ delayMs: DELAY_MS, then: simulatedClaude(req) }),
  });
  const prefix = `bench-scale-${randomBytes(4).toString('hex')}`;
  const delivery = await mkdtemp('/var/tmp/hardfix-bench-scale-');
  const env = {
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    ANTHROPIC_API_KEY: 'bench',
    ANTHROPIC_BASE_URL: fake.url,
    DELIVERY_DIR: delivery,
    API_TOKEN: TOKEN,
    HOST: '127.0.0.1',
    PORT: '0',
    WORKER_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'info',
  };
  const api = await start(scripts['start:api'] ?? '', env, 'Server listening at');
  const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(api.out)?.[1];
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) =>
    (await (
      await fetch(`${url}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) })
    ).json()) as Record<string, unknown>;
  const rows: ScaleRow[] = [];
  try {
    for (const count of WORKER_COUNTS) {
      const workers = await Promise.all(
        Array.from({ length: count }, () => start(scripts['start:worker'] ?? '', env, 'worker started')),
      );
      await sleep(1_000);
      const idle = await Promise.all(workers.map((w) => rssMb(w.child.pid)));
      let workerPeakMb = 0;
      let apiPeakMb = 0;
      const started = performance.now();
      const ids = await Promise.all(
        Array.from({ length: PROJECTS }, async (_, i) => {
          const body = await call('POST', '/projects', {
            name: `scale-${count}-${i}`,
            language: 'python',
            prompt: 'print a greeting',
          });
          return body.id as string;
        }),
      );
      for (;;) {
        for (const w of workers) workerPeakMb = Math.max(workerPeakMb, await rssMb(w.child.pid));
        apiPeakMb = Math.max(apiPeakMb, await rssMb(api.child.pid));
        const views = await Promise.all(ids.map((id) => call('GET', `/projects/${id}`)));
        const stuck = views.filter((v) => v.status === 'manual-review');
        if (stuck.length) throw new Error(`${stuck.length} projects went to manual review`);
        if (views.every((v) => v.status === 'delivered')) break;
        if (performance.now() - started > 600_000) throw new Error('projects not delivered in 10 minutes');
        await sleep(100);
      }
      const seconds = (performance.now() - started) / 1000;
      rows.push({
        workers: count,
        perSecond: PROJECTS / seconds,
        seconds,
        workerIdleMb: Math.max(...idle),
        workerPeakMb,
        apiPeakMb,
      });
      await Promise.all(workers.map((w) => stop(w.child)));
    }
  } finally {
    await stop(api.child);
    await fake.close();
    const redis = createRedisClient(REDIS_URL, 'worker', createLogger('silent'), 'bench-cleanup');
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await rm(delivery, { recursive: true, force: true });
  }
  return rows;
}

/** Jobs/s through `processor` for `jobs` jobs added in bulk to a fresh queue. */
async function throughput(
  prefix: string,
  jobs: StageJob[],
  queueName: string,
  processor: (job: StageJob) => Promise<void>,
): Promise<number> {
  const connection = createRedisClient(REDIS_URL, 'worker', createLogger('silent'), 'bench');
  const queue = new Queue<StageJob>(queueName, { connection, prefix });
  await queue.addBulk(jobs.map((data, i) => ({ name: queueName, data, opts: { jobId: `j${i}` } })));
  let done = 0;
  let allDone: () => void = () => {};
  let failed: (err: Error) => void = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    allDone = resolve;
    failed = reject;
  });
  const started = performance.now();
  const worker = new Worker<StageJob>(
    queueName,
    async (job) => {
      await processor(job.data);
      if (++done === jobs.length) allDone();
    },
    { connection, prefix, concurrency: CONCURRENCY },
  );
  // A failing job would leave the count short forever: stop the measurement with its error instead.
  worker.on('failed', (_job, err) => failed(err));
  let seconds: number;
  try {
    await finished;
    seconds = (performance.now() - started) / 1000;
  } finally {
    await worker.close();
  }
  await queue.close();
  await connection.quit();
  return jobs.length / seconds;
}

async function hop(): Promise<{ raw: number; hop: number }> {
  const prefix = `bench-hop-${randomBytes(4).toString('hex')}`;
  const redis = createRedisClient(REDIS_URL, 'worker', createLogger('silent'), 'bench-hop');
  const store = new ProjectStore(redis, prefix);
  const queues = createQueues(redis, prefix);
  try {
    const raw = await throughput(
      prefix,
      Array.from({ length: HOP_JOBS }, (_, n) => ({ projectId: 'raw', n: n + 1 })),
      'raw-noop',
      async () => {},
    );
    const projects: StageJob[] = [];
    for (let i = 0; i < HOP_JOBS; i++) {
      const created = await store.create({
        name: `hop-${i}`,
        language: 'python',
        prompt: 'x',
        status: 'generating',
        stage: 'generation',
      });
      if (created.created) projects.push({ projectId: created.project.id, n: 1 });
    }
    // A hop: what the worker does around an attempt — read the record, write it back under the
    // compare-and-set, hand the project to the next stage's queue (whose job nobody runs here).
    const hopRate = await throughput(prefix, projects, QUEUES.generation, async ({ projectId }) => {
      await store.update(projectId, (p) => ({ ...p, stage: 'smart-retry' }));
      await enqueueStage(queues, QUEUES.smartRetry, projectId, 1);
    });
    return { raw, hop: hopRate };
  } finally {
    await Promise.all(Object.values(queues).map((q) => q.close()));
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  }
}

await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT });
const rows = await scale();
const hops = await hop();
const one = rows[0]?.perSecond ?? 0;
console.log(
  `\n# pnpm bench:scale — ${PROJECTS} projects per run, model delay ${DELAY_MS} ms, WORKER_CONCURRENCY ${CONCURRENCY}\n`,
);
console.log(
  '| workers | delivered/s | × 1 worker | seconds | worker RSS idle | worker RSS peak | API RSS peak |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(
    `| ${r.workers} | ${r.perSecond.toFixed(2)} | ${(r.perSecond / one).toFixed(2)} | ${r.seconds.toFixed(1)} | ${r.workerIdleMb.toFixed(0)} MB | ${r.workerPeakMb.toFixed(0)} MB | ${r.apiPeakMb.toFixed(0)} MB |`,
  );
}
console.log(
  `\nraw BullMQ no-op: ${hops.raw.toFixed(0)} jobs/s; one stage hop: ${hops.hop.toFixed(0)} hops/s (${(hops.hop / hops.raw).toFixed(2)} × raw), ${HOP_JOBS} jobs, concurrency ${CONCURRENCY}`,
);
