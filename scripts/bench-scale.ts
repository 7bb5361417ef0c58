/**
 * `pnpm bench:scale`: how delivery scales with worker processes, what one stage hop costs next to raw
 * BullMQ, and how much memory each process holds.
 *
 * 1. Scale: the compiled API and 1, 2, then 4 compiled worker processes (`pnpm start:*`'s commands),
 *    each with WORKER_CONCURRENCY jobs at once, deliver PROJECTS projects posted at once. The model is
 *    the test kit's Messages API answering every call after a fixed delay, so the load is
 *    LLM-latency-bound as in production; verification is the real bubblewrap sandbox.
 *    Reported: delivered projects/s, and each process's RSS idle and at its peak under load.
 * 2. Hop: in this process, on a redis-server of its own, TRIALS rounds of five kinds of BullMQ job
 *    (see hops()): a no-op (added beforehand, or added in the timed window), a raw hand-off (a job that adds the next), our stage hop from the record in
 *    hand and our stage hop with a read. Each trial times HOP_JOBS jobs after WARMUP untimed ones; the
 *    order rotates each round. Reported per kind: the median and range of jobs/s, of its ratio to the
 *    raw hand-off and to the no-op in the same round, and Redis commands and CPU per job (stable where
 *    wall-clock rates are not, on a shared machine).
 *
 *   pnpm bench:scale [--projects 64] [--delay 2000] [--concurrency 2]
 *                    [--hops 1000] [--warmup 200] [--trials 7] [--hop-only]
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Project, QUEUES, type StageJob } from '@hardfix/contracts';
import {
  closeQueues,
  createLogger,
  createQueues,
  createRedisClient,
  enqueueStage,
  moveTo,
  ProjectStore,
  withFence,
} from '@hardfix/core';
import { deleteKeysWithPrefix, simulatedClaude, startFakeAnthropic } from '@hardfix/testkit';
import { type Job, Queue, Worker } from 'bullmq';
import { positiveIntArg } from './lib/cli-args.js';

const ROOT = resolve(import.meta.dirname, '..');
const PROJECTS = positiveIntArg('projects', 64);
const DELAY_MS = positiveIntArg('delay', 2000);
const CONCURRENCY = positiveIntArg('concurrency', 2);
const HOP_JOBS = positiveIntArg('hops', 1000);
const WARMUP = positiveIntArg('warmup', 200);
const TRIALS = positiveIntArg('trials', 7);
/** `--hop-only`: skip the worker-process runs (and the build they need). */
const HOP_ONLY = process.argv.includes('--hop-only');
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
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT });
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

type Processor = (job: Job<StageJob>, token: string | undefined) => Promise<void>;

/** A redis-server of the hop measurement's own on a free loopback port: nobody else's load or commands. */
async function privateRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await new Promise<number>((ok, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port')),
      );
    });
  });
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = createRedisClient(url, 'worker', createLogger('silent'), 'bench-probe');
  await probe.ping();
  await probe.quit();
  return { url, stop: () => stop(child) };
}

/** The server's command count and CPU seconds so far, and this process's CPU seconds. */
async function counters(admin: ReturnType<typeof createRedisClient>) {
  const info = await admin.info();
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  const client = process.cpuUsage();
  return {
    commands: field('total_commands_processed'),
    redisCpu: field('used_cpu_user') + field('used_cpu_sys'),
    clientCpu: (client.user + client.system) / 1e6,
  };
}

interface TrialResult {
  perSecond: number;
  /** Redis commands per timed job (the server's count: only the bench uses its private Redis). */
  commands: number;
  /** CPU microseconds per timed job in Redis and in this process: not skewed by a busy machine's waits. */
  redisCpuUs: number;
  clientCpuUs: number;
}

/**
 * Jobs/s through `processor` on a fresh queue: WARMUP + HOP_JOBS jobs added before the worker starts,
 * the clock started once the first WARMUP are done (connections up, scripts loaded, code warm) and
 * stopped when the last is. The worker has a connection of its own, as a worker process has.
 */
async function trial(
  url: string,
  prefix: string,
  queueName: string,
  jobs: StageJob[],
  processor: Processor,
  /** Add the timed jobs inside the timed window, one `add` each, CONCURRENCY adds in flight. */
  addTimed = false,
): Promise<TrialResult> {
  const connection = createRedisClient(url, 'worker', createLogger('silent'), 'bench');
  const admin = createRedisClient(url, 'worker', createLogger('silent'), 'bench-admin');
  const queue = new Queue<StageJob>(queueName, { connection, prefix });
  const entry = (data: StageJob, i: number) => ({ name: queueName, data, opts: { jobId: `j${i}` } });
  const preAdded = addTimed ? WARMUP : jobs.length;
  await queue.addBulk(jobs.slice(0, preAdded).map(entry));
  const addRest = async () => {
    let next = preAdded;
    const producer = async () => {
      for (let i = next++; i < jobs.length; i = next++) {
        const { name, data, opts } = entry(jobs[i] as StageJob, i);
        await queue.add(name, data, opts);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, producer));
  };
  let done = 0;
  let warm = 0;
  let atWarm: ReturnType<typeof counters> | undefined;
  let allDone: (at: number) => void = () => {};
  let failed: (err: Error) => void = () => {};
  const finished = new Promise<number>((resolve, reject) => {
    allDone = resolve;
    failed = reject;
  });
  const worker = new Worker<StageJob>(
    queueName,
    async (job, token) => {
      await processor(job, token);
      done++;
      if (done === WARMUP) {
        warm = performance.now();
        atWarm = counters(admin);
        if (addTimed) void addRest().catch((err: Error) => failed(err));
      }
      if (done === jobs.length) allDone(performance.now());
    },
    { connection, prefix, concurrency: CONCURRENCY },
  );
  // A failing job would leave the count short forever: stop the measurement with its error instead.
  worker.on('failed', (_job, err) => failed(err));
  const timed = jobs.length - WARMUP;
  let result: TrialResult;
  try {
    const end = await finished;
    const after = await counters(admin);
    const before = (await atWarm) ?? after;
    result = {
      perSecond: timed / ((end - warm) / 1000),
      commands: (after.commands - before.commands) / timed,
      redisCpuUs: ((after.redisCpu - before.redisCpu) * 1e6) / timed,
      clientCpuUs: ((after.clientCpu - before.clientCpu) * 1e6) / timed,
    };
  } finally {
    await worker.close();
  }
  await queue.obliterate({ force: true });
  await queue.close();
  await connection.quit();
  await admin.quit();
  return result;
}

interface Spread {
  median: number;
  min: number;
  max: number;
}
const spread = (values: number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median =
    sorted.length % 2 ? (sorted[Math.floor(mid)] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 };
};

const KINDS = ['noop', 'noopAdded', 'raw', 'hop', 'hopRead'] as const;
type Kind = (typeof KINDS)[number];
const LABELS: Record<Kind, string> = {
  noop: 'BullMQ, a no-op job',
  noopAdded: 'BullMQ, a no-op job, its add timed',
  raw: 'raw BullMQ hand-off: a job that adds the next',
  hop: 'stage hop, record in hand: compare-and-set, add the next',
  hopRead: 'stage hop, no record in hand: read, compare-and-set, add',
};

interface KindResult {
  perSecond: Spread;
  commands: Spread;
  redisCpuUs: Spread;
  clientCpuUs: Spread;
  /** perSecond ÷ the raw hand-off's, per round. */
  vsRaw: Spread;
  /** perSecond ÷ the no-op job's, per round. */
  vsNoop: Spread;
  /** perSecond ÷ the no-op job's with its add timed, per round. */
  vsNoopAdded: Spread;
}

/**
 * TRIALS rounds of five kinds of job, the order rotated each round so drift in a shared machine's
 * load weighs on all alike; same private Redis, connection set-up, concurrency, job count and warm-up:
 * - `noop`: BullMQ runs a job that does nothing, the jobs added in bulk before the clock starts;
 * - `noopAdded`: the same no-op with each job's add (one `queue.add`, as a producer makes it) inside
 *   the timed window: BullMQ's no-op throughput when a job has to be added to exist;
 * - `raw`: BullMQ runs a job that adds the next one, exactly the add a hop makes (enqueueStage), so a
 *   run and an add per job — raw BullMQ's throughput for a pipeline of stages;
 * - `hop`: our stage hop as a stage makes it after an attempt: it holds the record it last wrote (here,
 *   the one create() wrote), so the hop is the compare-and-set from that record, then that add;
 * - `hopRead`: the same hop by a caller that holds no record, so a read first.
 * Every hop runs under its job's lock as the fence, as worker.ts runs a stage.
 */
async function hops(): Promise<Record<Kind, KindResult>> {
  const redisServer = await privateRedis();
  const url = redisServer.url;
  const prefix = `bench-hop-${randomBytes(4).toString('hex')}`;
  const redis = createRedisClient(url, 'worker', createLogger('silent'), 'bench-hop');
  const store = new ProjectStore(redis, prefix);
  const queues = createQueues(redis, prefix);
  const total = WARMUP + HOP_JOBS;
  const hopTrial = async (t: number, inHand: boolean) => {
    const held = new Map<string, Project>();
    for (let i = 0; i < total; i += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, total - i) }, (_, j) =>
          store.create({
            name: `hop-${inHand ? 'h' : 'r'}-${t}-${i + j}`,
            language: 'python',
            prompt: 'x',
            status: 'generating',
            stage: 'generation',
          }),
        ),
      );
      for (const created of batch) if (created.created) held.set(created.project.id, created.project);
    }
    const jobs = [...held.keys()].map((projectId) => ({ projectId, n: 1 }));
    // As hand-off.ts moves a project on; the next stage's job is added and nobody runs it here.
    return trial(url, prefix, `hop-${inHand ? 'h' : 'r'}-${t}`, jobs, (job, token) =>
      withFence({ key: `${job.queueQualifiedName}:${job.id}:lock`, token: token ?? '' }, async () => {
        const { projectId } = job.data;
        await store.update(inHand ? (held.get(projectId) ?? projectId) : projectId, (p) =>
          moveTo(p, { type: 'escalate', from: 'generation' }),
        );
        await enqueueStage(queues, QUEUES.smartRetry, projectId, 1);
      }),
    );
  };
  const plainJobs = (t: number) =>
    Array.from({ length: total }, (_, n) => ({ projectId: `raw-${t}-${n}`, n: 1 }));
  const run: Record<Kind, (t: number) => Promise<TrialResult>> = {
    noop: (t) => trial(url, prefix, `noop-${t}`, plainJobs(t), async () => {}),
    noopAdded: (t) => trial(url, prefix, `noop-added-${t}`, plainJobs(t), async () => {}, true),
    raw: (t) =>
      trial(url, prefix, `raw-${t}`, plainJobs(t), async (job) => {
        await enqueueStage(queues, QUEUES.smartRetry, job.data.projectId, 1);
      }),
    hop: (t) => hopTrial(t, true),
    hopRead: (t) => hopTrial(t, false),
  };
  const results: Record<Kind, TrialResult[]> = { noop: [], noopAdded: [], raw: [], hop: [], hopRead: [] };
  try {
    for (let t = 0; t < TRIALS; t++) {
      for (let k = 0; k < KINDS.length; k++) {
        const kind = KINDS[(t + k) % KINDS.length] as Kind;
        results[kind].push(await run[kind](t));
      }
    }
  } finally {
    await closeQueues(queues);
    await redis.quit();
    await redisServer.stop();
  }
  const of = (kind: Kind, other: Kind) =>
    spread(results[kind].map((r, i) => r.perSecond / (results[other][i]?.perSecond ?? r.perSecond)));
  const summary = (kind: Kind): KindResult => ({
    perSecond: spread(results[kind].map((r) => r.perSecond)),
    commands: spread(results[kind].map((r) => r.commands)),
    redisCpuUs: spread(results[kind].map((r) => r.redisCpuUs)),
    clientCpuUs: spread(results[kind].map((r) => r.clientCpuUs)),
    vsRaw: of(kind, 'raw'),
    vsNoop: of(kind, 'noop'),
    vsNoopAdded: of(kind, 'noopAdded'),
  });
  return {
    noop: summary('noop'),
    noopAdded: summary('noopAdded'),
    raw: summary('raw'),
    hop: summary('hop'),
    hopRead: summary('hopRead'),
  };
}

const rows = HOP_ONLY ? [] : await scale();
const hop = await hops();
const one = rows[0]?.perSecond ?? 0;
if (rows.length) {
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
}
const fmt = (s: Spread, digits = 0) =>
  `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
console.log(
  `\n${TRIALS} rounds, ${HOP_JOBS} timed jobs after ${WARMUP} warm-up each, concurrency ${CONCURRENCY}, a private redis-server; median (min–max) over the rounds:\n`,
);
console.log(
  '| | jobs/s | ÷ raw hand-off | ÷ no-op job | ÷ no-op job, add timed | Redis commands per job | Redis CPU µs per job | bench process CPU µs per job |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const kind of KINDS) {
  const r = hop[kind];
  console.log(
    `| ${LABELS[kind]} | ${fmt(r.perSecond)} | ${fmt(r.vsRaw, 2)} | ${fmt(r.vsNoop, 2)} | ${fmt(r.vsNoopAdded, 2)} | ${fmt(r.commands, 1)} | ${fmt(r.redisCpuUs)} | ${fmt(r.clientCpuUs)} |`,
  );
}
