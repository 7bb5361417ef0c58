import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type Attempt, filePathProblem, type Project, type ProjectFile } from '@hardfix/contracts';
import { faultPoint } from './fault-point.js';
import { assertLease } from './fence.js';
import type { Logger } from './logger.js';
import { moveProject } from './project-state/move-project.js';
import type { ProjectStore } from './project-store.js';

export const MANIFEST_FILE = '.hardfix-manifest.json';

export interface Manifest {
  projectId: string;
  name: string;
  language: string;
  entry?: string;
  deliveredAt: string;
  /** The content hash of the delivered files (see filesHash): the files that verified. */
  filesSha256?: string;
  attempts: Attempt[];
  verification: {
    ok: true;
    durationMs: number;
    steps: { phase: string; command: string; durationMs: number }[];
    /** The tests the delivered files passed; absent when the project has none. */
    tests?: { run: number; passed: number; failed: number };
  };
}

export interface DeliveryResult {
  path: string;
  /** False when this project was already on disk (the job ran twice): nothing was written. */
  written: boolean;
}

async function readManifest(dir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/**
 * Writes a verified project to DELIVERY_DIR/<name>/ exactly once: the files go to a temporary folder
 * beside the target and are renamed into place in one step, so a reader never sees half a project and a
 * crash leaves at most a stray temp folder. A second delivery of the same project id and the same files
 * (by `filesSha256`) is a no-op; a folder left by another project id (say, from before a Redis reset),
 * or by the same project with other files, is moved aside, never overwritten. `beforeRename` runs
 * last, just before anything in DELIVERY_DIR changes: a runner that must no longer write stops there.
 */
export async function deliverProject(
  deliveryDir: string,
  files: ProjectFile[],
  manifest: Manifest,
  beforeRename: () => Promise<void> = async () => {},
): Promise<DeliveryResult> {
  const root = resolve(deliveryDir);
  const target = join(root, manifest.name);
  await mkdir(root, { recursive: true });

  const existing = await readManifest(target);
  if (existing && sameDelivery(existing, manifest)) return { path: target, written: false };

  const temp = join(root, `.tmp-${manifest.name}-${randomBytes(4).toString('hex')}`);
  try {
    for (const file of files) {
      const path = join(temp, file.path);
      // Paths were validated at the edge, by the same rule; this re-check keeps a bug or a record from
      // before the rule from writing outside, or writing another tool's control folder (`.git`, ...).
      const problem = filePathProblem(file.path);
      if (problem) throw new Error(`file path ${JSON.stringify(file.path)} not delivered: ${problem}`);
      if (!path.startsWith(`${temp}/`)) throw new Error(`file path escapes the project: ${file.path}`);
      await mkdir(dirname(path), { recursive: true, mode: 0o755 });
      // Never executable, whatever the umask: opening or listing a delivery must not run anything.
      await writeFile(path, file.content, { flag: 'wx', mode: 0o644 });
    }
    await writeFile(join(temp, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await beforeRename();
    if (existing || (await exists(target))) {
      const aside = join(root, '.superseded', `${manifest.name}-${Date.now()}`);
      await mkdir(dirname(aside), { recursive: true });
      await rename(target, aside);
    }
    await rename(temp, target);
    return { path: target, written: true };
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    // Two workers racing on the same project: the loser finds the winner's copy and is done.
    const now = await readManifest(target);
    if (now && sameDelivery(now, manifest)) return { path: target, written: false };
    throw err;
  }
}

/** The same project with the same files (a manifest from before files were hashed counts as the same). */
function sameDelivery(on: Manifest, ours: Manifest): boolean {
  return (
    on.projectId === ours.projectId && (on.filesSha256 === undefined || on.filesSha256 === ours.filesSha256)
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A hash of a project's files (paths and contents, in path order) and entry. */
export function filesHash(files: ProjectFile[], entry: string | undefined): string {
  const hash = createHash('sha256');
  hash.update(`entry\0${entry ?? ''}\0`);
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))
    hash.update(`${file.path}\0${Buffer.byteLength(file.content)}\0${file.content}`);
  return hash.digest('hex');
}

/** Delivery refused: the stored files are not the ones that verified. */
export class UnverifiedFilesError extends Error {
  readonly code = 'unverified_files';
  constructor(
    readonly projectId: string,
    reason: string,
  ) {
    super(`project ${projectId} not delivered: ${reason}`);
    this.name = 'UnverifiedFilesError';
  }
}

/**
 * Writes the project's verified files (the store's current files) to DELIVERY_DIR/<name>/ and marks it
 * delivered. Both steps are idempotent, so a job that dies between them finishes when it runs again.
 * The stored files must carry a passing verification (files and verdict are one value, written
 * together), and when the caller knows what it verified (`verifiedHash`), exactly those files: a
 * runner never delivers "whatever is current".
 *
 * Inside a job (see withFence) files on disk cannot join the fence's Lua check, so the lease is checked
 * before anything is written and again just before the rename; the record of the delivery is a fenced
 * store write. A runner that loses its lease after the last check can therefore only put the files it
 * hash-checked under its project id (the same files the new owner delivers, whose delivery is then a
 * no-op), and never records a delivery: it stops with LeaseLostError.
 */
export async function deliverVerified(
  store: ProjectStore,
  deliveryDir: string,
  project: Project,
  logger: Logger,
  verifiedHash?: string,
): Promise<Project> {
  const record = await store.getFiles(project.id);
  const verification = record.lastVerification;
  if (!verification?.ok || record.lastFailure)
    throw new UnverifiedFilesError(project.id, 'its current files did not pass their last verification');
  const hash = filesHash(record.files, record.entry);
  if (verifiedHash !== undefined && hash !== verifiedHash)
    throw new UnverifiedFilesError(project.id, 'its current files are not the files that verified');
  await assertLease(store.redisClient);
  const manifest: Manifest = {
    projectId: project.id,
    name: project.name,
    language: project.language,
    ...(record.entry ? { entry: record.entry } : {}),
    deliveredAt: new Date().toISOString(),
    filesSha256: hash,
    attempts: project.attempts,
    verification: {
      ok: true,
      durationMs: verification?.durationMs ?? 0,
      steps: (verification?.steps ?? []).map(({ phase, command, durationMs }) => ({
        phase,
        command,
        durationMs,
      })),
      ...(verification?.tests ? { tests: verification.tests } : {}),
    },
  };
  const { path, written } = await deliverProject(deliveryDir, record.files, manifest, () =>
    assertLease(store.redisClient),
  );
  if (written) logger.info({ projectId: project.id, path }, 'delivered');
  await faultPoint('after-delivery');
  return (await moveProject(store, project, { type: 'delivered', path, at: new Date().toISOString() }))
    .project;
}
