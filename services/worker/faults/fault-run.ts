import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Project, type ProjectFile, QUEUES } from '@hardfix/contracts';
import {
  enqueueStage,
  FixLibrary,
  filesHash,
  keys,
  MANIFEST_FILE,
  type Manifest,
  parseOutboxEntry,
  type RawStreamEntry,
  STATS,
} from '@hardfix/core';
import { createRedisFixture, type FakeReply, type FakeRequest, startFakeAnthropic } from '@hardfix/testkit';
import { afterEach, expect } from 'vitest';
import { BROKEN_AREA, FIXED_AREA_BLOCK } from '../test/programs.js';
import { openProducer, until } from '../test/worker-process.js';

const run = promisify(execFile);

/**
 * The two flows a fault run drives. `import`: an imported broken program, verified as it came, then
 * one hard-fix answer repairs it. `generation`: NORMAL_RETRIES=2 broken generations, a confident
 * analysis, a broken smart retry, then one hard-fix answer repairs it.
 */
export type Flow = 'import' | 'generation';

/** The environment a fault run's workers need on top of workerProcessEnv for the flows above. */
export const FLOW_ENV = { NORMAL_RETRIES: '2', SMART_RETRY_MIN_CONFIDENCE: '0.7' };

export interface FaultProject {
  id: string;
  name: string;
}

export type Producer = ReturnType<typeof openProducer>;

export async function deliveryDirFor(cleanups: (() => Promise<unknown>)[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hardfix-faults-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * What a fault test owns, released after each test: its worker processes (resumed first, in case the
 * test paused them, then killed) and its cleanups, run in reverse.
 */
export function useFaultScene() {
  const children: ChildProcess[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    children,
    cleanups,
    /** The simulated model, a producer and a delivery dir on `redis` (default: a fresh test prefix). */
    async setup(redis?: { url: string; prefix: string }) {
      let target = redis;
      if (!target) {
        const fixture = await createRedisFixture();
        cleanups.push(() => fixture.cleanup());
        target = fixture;
      }
      const fake = await startFakeAnthropic({ apiKey: 'test-anthropic-key' });
      cleanups.push(() => fake.close());
      const producer = openProducer(target);
      cleanups.push(producer.close);
      const deliveryDir = await deliveryDirFor(cleanups);
      return { redis: target, fake, producer, deliveryDir };
    },
  };
}

/** Resolves with the signal that ended the process (SIGKILL for a kill point or a test's kill). */
export function exited(child: ChildProcess): Promise<NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((ok) => child.once('exit', (_code, signal) => ok(signal)));
}

/** Creates a project as the API does and queues its first job: POST /projects/import or POST /projects. */
export async function startFlow(producer: Producer, name: string, flow: Flow): Promise<FaultProject> {
  const created = await producer.store.create(
    flow === 'import'
      ? { name, language: 'python', status: 'queued', stage: 'import', files: { files: [BROKEN_AREA] } }
      : { name, language: 'python', prompt: 'area of a circle', status: 'queued', stage: 'generation' },
  );
  if (!created.created) throw new Error(`name ${name} taken`);
  const queue = flow === 'import' ? QUEUES.hardFix : QUEUES.generation;
  await enqueueStage(producer.queues, queue, created.project.id, 1);
  return { id: created.project.id, name };
}

/** One request the Messages API server answered, the step of the flow it was for and its answer's mark. */
export interface ModelCall {
  project: string;
  step: string;
  marker: string;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

/**
 * The model's side of a fault run, for the testkit's Messages API server: every answer carries a unique
 * marker (a comment in the code, a phrase in the diagnosis), so the test can tell, from the project's
 * records alone, which paid answer was stored and which never was. Generations and the smart retry
 * answer broken code, the analysis is confident, hard fix answers the repair.
 */
export class ModelScript {
  readonly calls: ModelCall[] = [];
  private readonly ids = new Map<string, string>();
  private hold: { project: string; step: string; arrived: () => void } | undefined;

  constructor(
    private readonly producer: Producer,
    /** How long each answer takes (so a Redis fault can land while one is in flight). */
    readonly delayMs = 0,
  ) {}

  track(project: FaultProject): void {
    this.ids.set(project.name, project.id);
  }

  /** The next request for `step` of `project` is held unanswered; resolves once it has arrived. */
  holdNext(project: string, step: string): Promise<void> {
    return new Promise((arrived) => {
      this.hold = { project, step, arrived };
    });
  }

  readonly handler = async (req: FakeRequest): Promise<FakeReply | undefined> => {
    const id = req.projectName && this.ids.get(req.projectName);
    if (!id || !req.projectName) return undefined;
    // The step is read from the project's records, as the worker sees them when it asks.
    const project = await until(
      'the project to be readable',
      () => this.producer.store.get(id).catch(() => undefined),
      10_000,
    );
    const step = stepOf(req.toolName, project);
    const marker = `[answer ${this.calls.length + 1}]`;
    this.calls.push({ project: req.projectName, step, marker, at: Date.now() });
    const reply = answerFor(req.toolName, marker);
    if (this.hold?.project === req.projectName && this.hold.step === step) {
      this.hold.arrived();
      this.hold = undefined;
      // biome-ignore lint/suspicious/noThenProperty: the fake's reply shape, not a promise
      return { delayMs: 120_000, then: reply };
    }
    // biome-ignore lint/suspicious/noThenProperty: the fake's reply shape, not a promise
    return this.delayMs ? { delayMs: this.delayMs, then: reply } : reply;
  };
}

function stepOf(tool: string | undefined, project: Project): string {
  const next = (stage: string) => project.attempts.filter((a) => a.stage === stage).length + 1;
  if (tool === 'report_analysis') return 'analysis';
  if (tool === 'replace_block') return `hard-fix:${next('hard-fix')}`;
  return project.stage === 'smart-retry' ? 'smart-retry:1' : `generation:${next('generation')}`;
}

function answerFor(tool: string | undefined, marker: string): FakeReply {
  if (tool === 'report_analysis')
    return {
      tool: { confidence: 0.9, diagnosis: `PI is never defined ${marker}`, plan: 'import math, use math.pi' },
    };
  if (tool === 'replace_block') return { tool: { code: `# ${marker}\n${FIXED_AREA_BLOCK}` } };
  return { tool: { files: [{ path: 'main.py', content: `# ${marker}\n${BROKEN_AREA.content}` }] } };
}

/**
 * Every paid answer accounted for, from the project's own records: each step that stored a model answer
 * stored the last one asked for it, and every earlier answer for that step appears in no record at all
 * (it was provably lost before it was stored, so asking again was legitimate). Returns the steps that
 * were asked more than once; none is asked more than `maxCalls` times.
 */
export async function expectAnswersAccounted(
  producer: Producer,
  project: FaultProject,
  calls: ModelCall[],
  maxCalls = 2,
): Promise<{ repeated: string[]; unrecorded: number }> {
  const p = await producer.store.mustGet(project.id);
  const records = new Map<string, string>();
  for (const a of p.attempts) {
    // A library fix applied by hard fix is no model answer.
    if (a.stage === 'import' || (a.stage === 'hard-fix' && a.fixSource === 'library')) continue;
    records.set(
      `${a.stage}:${a.n}`,
      JSON.stringify(await producer.store.getAttemptFiles(p.id, a.stage, a.n)),
    );
  }
  if (p.analysis) records.set('analysis', JSON.stringify(p.analysis));
  const everything = [
    ...records.values(),
    JSON.stringify(await producer.store.getFiles(p.id)),
    JSON.stringify(p),
  ].join('\n');

  const mine = calls.filter((c) => c.project === project.name);
  const steps = [...new Set(mine.map((c) => c.step))];
  for (const step of records.keys()) expect(steps, `a model call for ${step}`).toContain(step);
  const repeated: string[] = [];
  let unrecorded = 0;
  for (const step of steps) {
    const asked = mine.filter((c) => c.step === step);
    expect(asked.length, `calls for ${step} of ${project.name}`).toBeLessThanOrEqual(maxCalls);
    if (asked.length > 1) repeated.push(step);
    const record = records.get(step);
    const lost = record === undefined ? asked : asked.slice(0, -1);
    if (record !== undefined) expect(record).toContain(asked.at(-1)?.marker);
    for (const call of lost)
      expect(everything, `${call.marker} (${step}) never stored`).not.toContain(call.marker);
    unrecorded += lost.length;
  }
  // Every call is either a stored answer or one provably never stored: nothing paid twice.
  expect(mine.length).toBe(records.size + unrecorded);
  return { repeated, unrecorded };
}

export function waitForOutcome(producer: Producer, id: string, timeoutMs = 60_000) {
  return until(
    `project ${id} delivered`,
    async () => {
      // Redis may be restarting or have just dropped this connection: ask again.
      const p = await producer.store.get(id).catch(() => undefined);
      return p?.status === 'delivered' || p?.status === 'manual-review' ? p : undefined;
    },
    timeoutMs,
  );
}

/**
 * The invariants every fault run must end with: each project delivered once (one attempt per number,
 * one folder, one `project.delivered` event), the files on disk the ones that verified (their hash is
 * the manifest's, and they run), each repair counted once in the library and in /status.
 */
export async function expectDeliveredOnce(
  producer: Producer,
  prefix: string,
  deliveryDir: string,
  projects: FaultProject[],
): Promise<void> {
  const settled = await Promise.all(projects.map((project) => waitForOutcome(producer, project.id)));
  const stream = (await producer.producer.xrange(keys(prefix).events, '-', '+')) as RawStreamEntry[];
  const events = stream.map(parseOutboxEntry);
  for (const [i, project] of projects.entries()) {
    const p = settled[i];
    expect(p?.status).toBe('delivered');
    if (!p) continue;
    const numbers = p.attempts.map((a) => `${a.stage}:${a.n}`);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(p.attempts.at(-1)?.outcome).toBe('passed');

    const folder = join(deliveryDir, project.name);
    const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as Manifest;
    expect(manifest.projectId).toBe(project.id);
    const files: ProjectFile[] = [];
    for (const path of (await readdir(folder)).filter((f) => f !== MANIFEST_FILE))
      files.push({ path, content: await readFile(join(folder, path), 'utf8') });
    expect(filesHash(files, manifest.entry)).toBe(manifest.filesSha256);
    expect(files.map((f) => f.path)).toEqual(['main.py']);
    // The fix as answered, or as the library re-applies it (its stored form, layout normalised).
    expect(files[0]?.content).toContain('return math.pi * r * r');
    // The delivered program runs (it is this suite's own fixture, not model output).
    const { stdout } = await run('python3', ['main.py'], { cwd: folder });
    expect(stdout.trim()).toBe(String(Math.PI * 4));

    const delivered = events.filter(
      (e) => e?.event.projectId === project.id && e.event.type === 'project.delivered',
    );
    expect(delivered).toHaveLength(1);
  }
  // One folder per project and nothing else (no temp folder of an interrupted delivery left over).
  const names = projects.map((p) => p.name).sort();
  expect((await readdir(deliveryDir)).sort()).toEqual(names);

  // Every project was repaired once (by its own hard fix or a fix another one saved): counted once.
  const page = await new FixLibrary(producer.producer, prefix).list({}, 100);
  expect(page.items.reduce((sum, f) => sum + f.success_count, 0)).toBe(projects.length);
  expect(page.items.flatMap((f) => f.used_by_projects).sort()).toEqual(names);
  const counters = await producer.store.counters();
  expect(counters[STATS.projectsRepaired]).toBe(projects.length);
  expect(counters[STATS.projectsIn('delivered')]).toBe(projects.length);
}
