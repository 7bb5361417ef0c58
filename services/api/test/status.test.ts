import {
  PROJECT_STATUSES,
  type ProjectStatus,
  QUEUE_NAMES,
  QUEUE_STATES,
  type Status,
  stageJobSchema,
} from '@hardfix/contracts';
import {
  createDurationMetrics,
  createRedisClient,
  enqueueStage,
  FixLibrary,
  keys,
  type ProjectStore,
  STAGES_BY_STATUS,
} from '@hardfix/core';
import { Worker } from 'bullmq';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { describe, expect } from 'vitest';
import { buildApp } from '../src/app.js';
import { AUTH, silentLogger, startTestApi, type TestApi, TOKEN, test } from './helper.js';

/** Nothing listens here. */
const DEAD_REDIS = 'redis://127.0.0.1:1';

async function getStatus(api: TestApi): Promise<Status> {
  const res = await api.app.inject({ method: 'GET', url: '/status' });
  expect(res.statusCode).toBe(200);
  return res.json();
}

interface Scrape {
  families: ParsedFamily[];
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/**
 * Parses /metrics twice with the same parser: as it is (families, types, strict line syntax), and
 * with the TYPE lines dropped, because the parser folds a histogram's labelled series into one
 * unlabelled entry; untyped, every `_bucket`/`_sum`/`_count` line comes back as its own sample.
 */
async function getMetrics(api: TestApi): Promise<Scrape> {
  const res = await api.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(res.body);
  const untyped = parsePrometheusTextFormat(res.body.replace(/^# TYPE .*\n/gm, ''));
  const samples = untyped.flatMap((f) =>
    f.metrics.map((m) => ({ name: f.name, labels: m.labels ?? {}, value: Number(m.value) })),
  );
  return { families, samples };
}

/** A project created in `queued`, then moved to `status` (with a stage it can have there). */
async function projectIn(
  store: ProjectStore,
  name: string,
  status: ProjectStatus,
  counters: Record<string, number> = {},
) {
  const created = await store.create({
    name,
    language: 'python',
    prompt: 'p',
    status: 'queued',
    stage: 'generation',
  });
  if (!created.created) throw new Error('name taken');
  if (status === 'queued' && Object.keys(counters).length === 0) return created.project;
  const stage = STAGES_BY_STATUS[status][0] ?? 'generation';
  return store.update(created.project.id, (p) => ({ ...p, status, stage }), counters);
}

/** A hard-fix success recorded as the worker records it: the fix and the /status counters in one step. */
async function hardFixSuccess(
  library: FixLibrary,
  project: string,
  signature: string,
  attempt: number,
  fromLibrary: boolean,
) {
  await library.saveSuccess({
    signature,
    errorType: 'NameError',
    language: 'python',
    description: `Fixed NameError (Attempt #${attempt})`,
    workingCode: 'x = 1',
    attempts: fromLibrary ? 1 : attempt,
    projectName: project,
    source: fromLibrary ? 'library' : 'llm',
    counters: {
      'hardfix:successes': 1,
      'hardfix:attempts': attempt,
      ...(fromLibrary ? { 'hardfix:library-successes': 1 } : {}),
    },
  });
}

/** Puts jobs into every BullMQ state the status counts, using a real worker for completed and failed. */
async function fillQueues(api: TestApi) {
  const { queues, env } = api;
  await enqueueStage(queues, 'generation', 'p-wait-1', 1);
  await enqueueStage(queues, 'generation', 'p-wait-2', 1);
  await enqueueStage(queues, 'hard-fix', 'p-delayed', 3, 60_000);
  // One attempt only, so the failure lands in `failed` rather than being retried.
  await queues['smart-retry'].add('smart-retry', { projectId: 'p-ok', n: 1 }, { attempts: 1 });
  await queues['smart-retry'].add('smart-retry', { projectId: 'p-bad', n: 1 }, { attempts: 1 });
  // A worker's own connection, as the service makes it (a Cluster on a redis+cluster:// URL).
  const connection = createRedisClient(env.REDIS_URL, 'worker', silentLogger, 'status-test-worker');
  const worker = new Worker(
    'smart-retry',
    async (job) => {
      if (stageJobSchema.parse(job.data).projectId === 'p-bad') throw new Error('boom');
    },
    { connection, prefix: env.QUEUE_PREFIX, autorun: false },
  );
  const done = new Promise<void>((resolve) => {
    let seen = 0;
    const count = () => ++seen === 2 && resolve();
    worker.on('completed', count);
    worker.on('failed', count);
  });
  void worker.run();
  await done;
  await worker.close();
  await connection.quit();
}

/** The one sample with this name whose labels include `labels`. */
function sample(scrape: Scrape, name: string, labels: Record<string, string> = {}): number {
  const matches = scrape.samples.filter(
    (m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v),
  );
  if (matches.length !== 1) throw new Error(`${matches.length} samples ${name}${JSON.stringify(labels)}`);
  return (matches[0] as { value: number }).value;
}

describe('GET /status', () => {
  test('is all zeros on an empty system, with rates 0 instead of NaN', async ({ api }) => {
    const status = await getStatus(api);
    expect(status.hardFix).toEqual({
      activeFixes: 0,
      librarySize: 0,
      reuseRate: 0,
      averageAttempts: 0,
      successRate: 0,
      manualReview: 0,
    });
    expect(status.projects.total).toBe(0);
    for (const q of QUEUE_NAMES)
      expect(status.queues[q]).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
    expect(status.llm).toEqual({
      configured: false,
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheWriteTokens: 0,
      cacheReadTokens: 0,
      estimatedCostUsd: 0,
      costPerDeliveredProjectUsd: 0,
      budgetStops: 0,
      model: 'claude-sonnet-5-5',
      cacheReadShare: 0,
      paused: null,
    });
    // The API runs no code, so it has no sandbox of its own: the mode is the deployment's.
    expect(status.sandbox).toEqual({
      kind: 'bubblewrap',
      network: false,
      insecure: false,
      // No worker process in these tests.
      workers: [],
    });
  });

  test('every field agrees with the data behind it', async ({ api }) => {
    const { store, redis, env } = api;
    const library = new FixLibrary(redis, env.QUEUE_PREFIX);
    const k = keys(env.QUEUE_PREFIX);

    // Projects: 2 queued, 1 generating, 3 in hard fix, 2 exhausted to manual review, 3 delivered by
    // hard fix (two LLM fixes at attempts 4 and 6, one library fix at attempt 1), 1 abandoned.
    await projectIn(store, 'q1', 'queued');
    await projectIn(store, 'q2', 'queued');
    await projectIn(store, 'g1', 'generating');
    for (const n of ['h1', 'h2', 'h3']) await projectIn(store, n, 'hard-fix');
    for (const n of ['m1', 'm2']) await projectIn(store, n, 'manual-review', { 'hardfix:exhausted': 1 });
    for (const n of ['d1', 'd2', 'd3']) await projectIn(store, n, 'delivered');
    await projectIn(store, 'a1', 'abandoned');
    await hardFixSuccess(library, 'd1', 'sig-a', 4, false);
    await hardFixSuccess(library, 'd2', 'sig-b', 6, false);
    await hardFixSuccess(library, 'd3', 'sig-a', 1, true); // reuses sig-a: no new fix
    // A re-run of the same success (after a crash) must not count twice.
    await hardFixSuccess(library, 'd1', 'sig-a', 4, false);
    // LLM usage, recorded with a project update exactly as the worker records it.
    const g1 = (await store.list('generating', 1)).items[0];
    if (!g1) throw new Error('no generating project');
    await store.update(
      g1.id,
      (p) => ({
        ...p,
        usage: {
          calls: 2,
          inputTokens: 1200,
          outputTokens: 340,
          cacheWriteTokens: 2000,
          cacheReadTokens: 2000,
          costMicroUsd: 21_000,
        },
      }),
      {
        'llm:calls': 2,
        'llm:inputTokens': 1200,
        'llm:outputTokens': 340,
        'llm:cacheWriteTokens': 2000,
        'llm:cacheReadTokens': 2000,
        'llm:costMicroUsd': 21_000,
      },
    );
    await fillQueues(api);

    const status = await getStatus(api);

    const expectedByStatus: Record<ProjectStatus, number> = {
      queued: 2,
      generating: 1,
      retrying: 0,
      'smart-retry': 0,
      'hard-fix': 3,
      'manual-review': 2,
      delivered: 3,
      abandoned: 1,
    };
    for (const s of PROJECT_STATUSES) {
      expect(status.projects[s], s).toBe(expectedByStatus[s]);
      expect(status.projects[s], `${s} index`).toBe(await redis.zcard(k.projectsByStatus(s)));
    }
    expect(status.projects.total).toBe(12);
    expect(status.projects.total).toBe(await redis.zcard(k.projectsAll));

    expect(status.hardFix.activeFixes).toBe(3);
    expect(status.hardFix.librarySize).toBe(2);
    // The counter against the library's own index of fixes.
    expect(status.hardFix.librarySize).toBe(await redis.zcard(k.fixesAll));
    expect(status.hardFix.reuseRate).toBeCloseTo(1 / 3, 12);
    expect(status.hardFix.averageAttempts).toBeCloseTo((4 + 6 + 1) / 3, 12);
    expect(status.hardFix.successRate).toBeCloseTo(3 / (3 + 2), 12);
    expect(status.hardFix.manualReview).toBe(2);
    const review = await api.app.inject({ method: 'GET', url: '/review', headers: AUTH });
    expect(review.statusCode).toBe(200);
    expect(review.json().items).toHaveLength(status.hardFix.manualReview);

    // Three projects delivered: the spend so far is shared over them.
    expect(status.llm).toEqual({
      configured: false,
      calls: 2,
      inputTokens: 1200,
      outputTokens: 340,
      cacheWriteTokens: 2000,
      cacheReadTokens: 2000,
      estimatedCostUsd: 0.021,
      costPerDeliveredProjectUsd: 0.007,
      budgetStops: 0,
      model: 'claude-sonnet-5-5',
      // Cache reads over all input: 2000 / (1200 + 2000 + 2000).
      cacheReadShare: 2000 / 5200,
      paused: null,
    });

    expect(status.queues.generation).toEqual({ waiting: 2, active: 0, delayed: 0, completed: 0, failed: 0 });
    expect(status.queues['hard-fix']).toEqual({ waiting: 0, active: 0, delayed: 1, completed: 0, failed: 0 });
    expect(status.queues['smart-retry']).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
      completed: 1,
      failed: 1,
    });
    for (const q of QUEUE_NAMES)
      expect(status.queues[q]).toEqual(await api.queues[q].getJobCounts(...QUEUE_STATES));
  });

  test('llm.configured follows ANTHROPIC_API_KEY', async ({ api }) => {
    const app = buildApp({
      env: { ...api.env, ANTHROPIC_API_KEY: 'sk-test' },
      redis: api.redis,
      store: api.store,
      queues: api.queues,
      manualQueue: api.app.manualQueue,
      logger: silentLogger,
      apiToken: TOKEN,
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/status' });
      expect(res.json().llm.configured).toBe(true);
    } finally {
      await app.close();
    }
  });

  test('is listed in the OpenAPI document with its schema', async ({ api }) => {
    const doc = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const schema = doc.paths['/status'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual(['queues', 'hardFix', 'projects', 'llm', 'sandbox']);
    expect(doc.paths['/metrics']).toBeDefined();
  });

  test('answers 503 when Redis is down', async () => {
    const down = await startTestApi({ redisUrl: DEAD_REDIS });
    try {
      for (const url of ['/status', '/metrics']) {
        const res = await down.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(503);
        expect(res.json().error).toBe('redis_unavailable');
      }
    } finally {
      await down.close();
    }
  });
});

describe('GET /metrics', () => {
  test('parses as Prometheus text and agrees with /status', async ({ api }) => {
    const { store, redis, env } = api;
    const library = new FixLibrary(redis, env.QUEUE_PREFIX);
    await projectIn(store, 'h1', 'hard-fix');
    await projectIn(store, 'm1', 'manual-review', { 'hardfix:exhausted': 1 });
    await projectIn(store, 'd1', 'delivered');
    await projectIn(store, 'd2', 'delivered');
    await hardFixSuccess(library, 'd1', 'sig-a', 3, false);
    await hardFixSuccess(library, 'd2', 'sig-a', 1, true);
    await fillQueues(api);

    const status = await getStatus(api);
    const scrape = await getMetrics(api);

    for (const queue of QUEUE_NAMES)
      for (const state of QUEUE_STATES)
        expect(sample(scrape, 'hardfix_queue_jobs', { queue, state }), `${queue} ${state}`).toBe(
          status.queues[queue][state],
        );
    for (const s of PROJECT_STATUSES)
      expect(sample(scrape, 'hardfix_projects', { status: s })).toBe(status.projects[s]);
    expect(sample(scrape, 'hardfix_projects_created_total')).toBe(status.projects.total);
    expect(sample(scrape, 'hardfix_hard_fix_active_fixes')).toBe(status.hardFix.activeFixes);
    expect(sample(scrape, 'hardfix_fix_library_size')).toBe(status.hardFix.librarySize);
    expect(sample(scrape, 'hardfix_hard_fix_reuse_rate')).toBe(status.hardFix.reuseRate);
    expect(sample(scrape, 'hardfix_hard_fix_average_attempts')).toBe(status.hardFix.averageAttempts);
    expect(sample(scrape, 'hardfix_hard_fix_success_rate')).toBe(status.hardFix.successRate);
    expect(sample(scrape, 'hardfix_manual_review_projects')).toBe(status.hardFix.manualReview);
    expect(sample(scrape, 'hardfix_hard_fix_successes_total')).toBe(2);
    expect(sample(scrape, 'hardfix_hard_fix_library_successes_total')).toBe(1);
    expect(sample(scrape, 'hardfix_hard_fix_success_attempts_total')).toBe(4);
    expect(sample(scrape, 'hardfix_hard_fix_exhausted_total')).toBe(1);
    expect(sample(scrape, 'hardfix_llm_configured')).toBe(0);
    expect(sample(scrape, 'hardfix_llm_calls_total')).toBe(status.llm.calls);
    expect(sample(scrape, 'hardfix_llm_input_tokens_total')).toBe(status.llm.inputTokens);
    expect(sample(scrape, 'hardfix_llm_output_tokens_total')).toBe(status.llm.outputTokens);
    expect(sample(scrape, 'hardfix_llm_cache_write_tokens_total')).toBe(status.llm.cacheWriteTokens);
    expect(sample(scrape, 'hardfix_llm_cache_read_tokens_total')).toBe(status.llm.cacheReadTokens);
    expect(sample(scrape, 'hardfix_llm_cache_read_share')).toBeCloseTo(status.llm.cacheReadShare, 10);
    expect(sample(scrape, 'hardfix_llm_paused')).toBe(0);
    expect(sample(scrape, 'hardfix_llm_estimated_cost_usd_total')).toBe(status.llm.estimatedCostUsd);
    expect(sample(scrape, 'hardfix_budget_stops_total')).toBe(status.llm.budgetStops);
    expect(sample(scrape, 'hardfix_llm_cost_per_delivered_project_usd')).toBe(
      status.llm.costPerDeliveredProjectUsd,
    );
    expect(
      sample(scrape, 'hardfix_sandbox_info', {
        kind: status.sandbox.kind,
        network: String(status.sandbox.network),
      }),
    ).toBe(1);
    // Node's default metrics are there too.
    expect(sample(scrape, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(scrape.families.find((f) => f.name === 'hardfix_queue_jobs')?.type).toBe('GAUGE');
    expect(scrape.families.find((f) => f.name === 'hardfix_llm_calls_total')?.type).toBe('COUNTER');
  });

  test('renders the duration histograms the worker observes into Redis', async ({ api }) => {
    // A separate DurationMetrics on its own connection, as a worker process would have.
    const workerSide = createDurationMetrics(api.fixture.redis, api.env.QUEUE_PREFIX);
    await workerSide.stage.observe({ stage: 'generation' }, 0.3);
    await workerSide.stage.observe({ stage: 'generation' }, 7);
    await workerSide.stage.observe({ stage: 'hard-fix' }, 400);
    await workerSide.verification.observe({ language: 'java', outcome: 'failed' }, 1.5);
    await workerSide.llmCall.observe({ tool: 'replace_block' }, 3.25);

    const scrape = await getMetrics(api);
    for (const name of ['stage', 'verification', 'llm_call'])
      expect(scrape.families.find((f) => f.name === `hardfix_${name}_duration_seconds`)?.type).toBe(
        'HISTOGRAM',
      );
    const bucket = (le: string, stage: string) =>
      sample(scrape, 'hardfix_stage_duration_seconds_bucket', { stage, le });
    expect(sample(scrape, 'hardfix_stage_duration_seconds_count', { stage: 'generation' })).toBe(2);
    expect(sample(scrape, 'hardfix_stage_duration_seconds_sum', { stage: 'generation' })).toBeCloseTo(7.3, 9);
    expect(bucket('0.25', 'generation')).toBe(0);
    expect(bucket('0.5', 'generation')).toBe(1);
    expect(bucket('10', 'generation')).toBe(2);
    expect(bucket('+Inf', 'generation')).toBe(2);
    expect(bucket('300', 'hard-fix')).toBe(0);
    expect(bucket('+Inf', 'hard-fix')).toBe(1);
    expect(
      sample(scrape, 'hardfix_verification_duration_seconds_sum', { language: 'java', outcome: 'failed' }),
    ).toBe(1.5);

    // Every bucket, sum and count equals what the histogram holds in Redis.
    let checked = 0;
    for (const histogram of Object.values(workerSide)) {
      const name = histogram.key.split(':histogram:')[1];
      for (const series of await histogram.snapshot()) {
        expect(sample(scrape, `${name}_count`, series.labels)).toBe(series.count);
        expect(sample(scrape, `${name}_sum`, series.labels)).toBe(series.sum);
        for (const b of series.buckets) {
          const le = Number.isFinite(b.le) ? String(b.le) : '+Inf';
          expect(sample(scrape, `${name}_bucket`, { ...series.labels, le })).toBe(b.count);
          checked++;
        }
      }
    }
    expect(checked).toBe(2 * 13 + 10 + 11);
  });

  test('two apps in one process each have their own registry', async ({ api }) => {
    const other = buildApp({
      env: api.env,
      redis: api.redis,
      store: api.store,
      queues: api.queues,
      manualQueue: api.app.manualQueue,
      logger: silentLogger,
      apiToken: TOKEN,
    });
    try {
      const res = await other.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(parsePrometheusTextFormat(res.body).length).toBeGreaterThan(10);
    } finally {
      await other.close();
    }
  });
});
