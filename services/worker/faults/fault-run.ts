import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ProjectFile, QUEUES } from '@hardfix/contracts';
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
import { expect } from 'vitest';
import { BROKEN_AREA, FIXED_AREA_BLOCK } from '../test/programs.js';
import { type openProducer, until } from '../test/worker-process.js';

const run = promisify(execFile);

/** One project of a fault run: an imported broken program that one hard-fix answer repairs. */
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

/** Imports BROKEN_AREA under `name` and queues its hard fix, as POST /projects/import does. */
export async function importBroken(producer: Producer, name: string): Promise<FaultProject> {
  const created = await producer.store.create({
    name,
    language: 'python',
    status: 'queued',
    stage: 'import',
    files: { files: [BROKEN_AREA] },
  });
  if (!created.created) throw new Error(`name ${name} taken`);
  await enqueueStage(producer.queues, QUEUES.hardFix, created.project.id, 1);
  return { id: created.project.id, name };
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
 * The invariants every fault run must end with: the project delivered once (one attempt per number,
 * one folder, one `project.delivered` event), the files on disk the ones that verified (their hash is
 * the manifest's, and they run), the proven fix counted once.
 */
export async function expectDeliveredOnce(
  producer: Producer,
  prefix: string,
  deliveryDir: string,
  project: FaultProject,
): Promise<void> {
  const p = await waitForOutcome(producer, project.id);
  expect(p.status).toBe('delivered');
  const numbers = p.attempts.map((a) => `${a.stage}:${a.n}`);
  expect(new Set(numbers).size).toBe(numbers.length);
  expect(p.attempts.at(-1)).toMatchObject({ stage: 'hard-fix', outcome: 'passed' });

  expect((await readdir(deliveryDir)).filter((f) => f === project.name || f.startsWith('.'))).toEqual([
    project.name,
  ]);
  const folder = join(deliveryDir, project.name);
  const manifest = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as Manifest;
  expect(manifest.projectId).toBe(project.id);
  const files: ProjectFile[] = [];
  for (const path of (await readdir(folder)).filter((f) => f !== MANIFEST_FILE))
    files.push({ path, content: await readFile(join(folder, path), 'utf8') });
  expect(filesHash(files, manifest.entry)).toBe(manifest.filesSha256);
  expect(files.map((f) => f.path)).toEqual(['main.py']);
  expect(files[0]?.content).toContain(FIXED_AREA_BLOCK);
  // The delivered program runs (it is this suite's own fixture, not model output).
  const { stdout } = await run('python3', ['main.py'], { cwd: folder });
  expect(stdout.trim()).toBe(String(Math.PI * 4));

  const k = keys(prefix);
  const stream = (await producer.producer.xrange(k.events, '-', '+')) as RawStreamEntry[];
  const delivered = stream
    .map(parseOutboxEntry)
    .filter((e) => e?.event.projectId === project.id && e.event.type === 'project.delivered');
  expect(delivered).toHaveLength(1);

  const fixes = new FixLibrary(producer.producer, prefix);
  expect(await fixes.size()).toBe(1);
  const page = await fixes.list({}, 10);
  expect(page.items.map((f) => f.success_count)).toEqual([1]);
  const counters = await producer.store.counters();
  expect(counters[STATS.repairs]).toBe(1);
  expect(counters[STATS.projectsIn('delivered')]).toBe(1);
}
