import { randomUUID } from 'node:crypto';
import {
  type HardFixOrigin,
  hardFixOriginSchema,
  type Language,
  PROJECT_STATUSES,
  type Project,
  type ProjectFilesRecord,
  type ProjectStatus,
  projectFilesRecordSchema,
  projectSchema,
  type Stage,
  storedFilesRecordSchema,
} from '@hardfix/contracts';
import type { Redis } from 'ioredis';
import { detectEvent } from './events/detect-event.js';
import { outboxAppend } from './events/outbox.js';
import { currentFence, LeaseLostError } from './fence.js';
import { InvalidFilesError } from './invalid-files-error.js';
import { keys as keysFor } from './keys.js';
import { luaScript } from './lua/index.js';
import { assertLegalState } from './project-state/states.js';
import { STATS } from './stats-counters.js';

/** The store's writes, one `.lua` file each under ./lua (each file's header: KEYS, ARGV, reply). */
const lua = luaScript;
const createScript = lua('create-project');
const updateScript = lua('update-project');
const fencedSetScript = lua('fenced-set');

/** Attempt history outlives any sane retry schedule, then expires so Redis does not grow forever. */
const ATTEMPT_FILES_TTL_SECONDS = 30 * 24 * 3600;

export class ProjectNotFoundError extends Error {
  readonly code = 'project_not_found';
  constructor(readonly id: string) {
    super(`project ${id} does not exist`);
    this.name = 'ProjectNotFoundError';
  }
}

export interface NewProject {
  name: string;
  language: Language;
  prompt?: string;
  status: ProjectStatus;
  stage: Stage;
  entry?: string;
  files?: ProjectFilesRecord;
  /** Where the project's events are POSTed; validated by the caller (see callbackUrlProblem). */
  callbackUrl?: string;
}

export type CreateResult = { created: true; project: Project } | { created: false; existingId: string };

/** Counter increments to apply in the same atomic step as a record change (name → delta). */
export type CounterDeltas = Record<string, number>;

export interface ProjectPage {
  items: Project[];
  nextCursor?: string;
}

export class ProjectStore {
  private readonly keys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = keysFor(prefix);
  }

  /** The connection writes go through (for lease checks next to writes that cannot join a script). */
  get redisClient(): Redis {
    return this.redis;
  }

  /**
   * Creates a project in one step (lua/create-project.lua): the name claimed, record and files written,
   * indexed, counted and its event (if it starts in an event status) appended; or, when the name is
   * taken, nothing at all, and the owner's id comes back (a retried POST gets the same project).
   */
  async create(input: NewProject): Promise<CreateResult> {
    const at = this.now();
    const project: Project = projectSchema.parse({
      id: randomUUID(),
      name: input.name,
      language: input.language,
      prompt: input.prompt,
      status: input.status,
      stage: input.stage,
      entry: input.entry,
      callbackUrl: input.callbackUrl,
      attempts: [],
      usage: { calls: 0, inputTokens: 0, outputTokens: 0 },
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      version: 0,
    });
    assertLegalState(project);
    const files: ProjectFilesRecord = input.files ?? { files: [] };
    const detected = detectEvent(undefined, project);
    if (detected?.parkedMark) project.parkedEventFor = detected.parkedMark;
    const [created, id] = (await createScript.run(
      this.redis,
      [
        this.keys.projectName(project.name),
        this.keys.project(project.id),
        this.keys.projectFiles(project.id),
        this.keys.projectsByStatus(project.status),
        this.keys.projectsAll,
        this.keys.stats,
        this.keys.events,
        this.keys.projectEvents(project.id),
      ],
      [
        JSON.stringify({
          id: project.id,
          record: JSON.stringify(project),
          files: JSON.stringify(files),
          score: String(at.getTime()),
          status: project.status,
          event: outboxAppend(detected?.event, project.callbackUrl),
        }),
      ],
    )) as [number, string];
    return created === 1 ? { created: true, project } : { created: false, existingId: id };
  }

  async get(id: string): Promise<Project | undefined> {
    const raw = await this.redis.get(this.keys.project(id));
    return raw === null ? undefined : projectSchema.parse(JSON.parse(raw));
  }

  async mustGet(id: string): Promise<Project> {
    const project = await this.get(id);
    if (!project) throw new ProjectNotFoundError(id);
    return project;
  }

  async getFiles(id: string): Promise<ProjectFilesRecord> {
    const raw = await this.redis.get(this.keys.projectFiles(id));
    return raw === null ? { files: [] } : storedFilesRecordSchema.parse(JSON.parse(raw));
  }

  /** Files are replaced whole; they only change together with an attempt that produced them. */
  async setFiles(id: string, files: ProjectFilesRecord): Promise<void> {
    await this.fencedSet(this.keys.projectFiles(id), JSON.stringify(checkedFiles(id, files)));
  }

  /** Writes one key, unless this runs inside a job whose lease is lost (see withFence). */
  private async fencedSet(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const fence = currentFence();
    const result = await fencedSetScript.run(this.redis, fence ? [key, fence.key] : [key], [
      value,
      ttlSeconds ?? '',
      fence?.token ?? '',
    ]);
    if (result === -2 && fence) throw new LeaseLostError(fence);
  }

  /** The files one attempt produced (see keys.attemptFiles); undefined when that attempt has none yet. */
  async getAttemptFiles(id: string, stage: Stage, n: number): Promise<ProjectFilesRecord | undefined> {
    const raw = await this.redis.get(this.keys.attemptFiles(id, stage, n));
    return raw === null ? undefined : storedFilesRecordSchema.parse(JSON.parse(raw));
  }

  async setAttemptFiles(id: string, stage: Stage, n: number, files: ProjectFilesRecord): Promise<void> {
    const value = JSON.stringify(checkedFiles(id, files));
    await this.fencedSet(this.keys.attemptFiles(id, stage, n), value, ATTEMPT_FILES_TTL_SECONDS);
  }

  async getHardFixOrigin(id: string): Promise<HardFixOrigin | undefined> {
    const raw = await this.redis.get(this.keys.hardFixOrigin(id));
    return raw === null ? undefined : hardFixOriginSchema.parse(JSON.parse(raw));
  }

  async setHardFixOrigin(id: string, origin: HardFixOrigin): Promise<void> {
    const value = JSON.stringify(hardFixOriginSchema.parse(origin));
    await this.fencedSet(this.keys.hardFixOrigin(id), value, ATTEMPT_FILES_TTL_SECONDS);
  }

  /**
   * Applies `change` to the latest record (`target` given as a record: to that one first) and writes
   * it if nobody wrote in between (else re-reads and re-applies). `change` returns the new record, or
   * undefined to leave it as it is. Counter deltas are applied in the same atomic step, so /status
   * never disagrees with the records, and so is the event the change amounts to (see detectEvent).
   */
  async update(
    target: string | Project,
    change: (current: Project) => Project | undefined,
    counters: CounterDeltas | ((current: Project, next: Project) => CounterDeltas) = {},
  ): Promise<Project> {
    const id = typeof target === 'string' ? target : target.id;
    // A caller holding the record it last read or wrote saves a read: the compare-and-set catches a
    // stale one. Only a write proves it current, so a "no change" on it is decided again on a fresh read.
    let held = typeof target === 'string' ? undefined : target;
    for (;;) {
      const current = held ?? (await this.mustGet(id));
      const guessed = held !== undefined;
      held = undefined;
      const changed = change(structuredClone(current));
      if (changed === undefined) {
        if (guessed) continue;
        return current;
      }
      const next = projectSchema.parse({
        ...changed,
        version: current.version + 1,
        updatedAt: this.now().toISOString(),
      });
      assertLegalState(next);
      const deltas = typeof counters === 'function' ? counters(current, next) : counters;
      const detected = detectEvent(current, next);
      if (detected?.parkedMark) next.parkedEventFor = detected.parkedMark;
      const fence = currentFence();
      const result = await updateScript.run(
        this.redis,
        [
          this.keys.project(id),
          this.keys.projectsByStatus(current.status),
          this.keys.projectsByStatus(next.status),
          this.keys.stats,
          this.keys.events,
          this.keys.projectEvents(id),
          ...(fence ? [fence.key] : []),
        ],
        [
          JSON.stringify({
            id,
            version: current.version,
            record: JSON.stringify(next),
            status: next.status,
            score: String(Date.parse(current.createdAt)),
            event: outboxAppend(detected?.event, next.callbackUrl),
            fence_token: fence?.token,
            counters: deltas,
          }),
        ],
      );
      if (result === 1) return next;
      if (result === -1) throw new ProjectNotFoundError(id);
      if (result === -2 && fence) throw new LeaseLostError(fence);
    }
  }

  /**
   * Newest first, within one status or across all. The cursor is "<score>_<skip>": resume at that
   * creation time, skipping the members with exactly that score already returned, so projects created
   * in the same millisecond are neither repeated nor lost between pages.
   */
  async list(status: ProjectStatus | undefined, limit: number, cursor?: string): Promise<ProjectPage> {
    const key = status ? this.keys.projectsByStatus(status) : this.keys.projectsAll;
    const [maxScore, skip] = parseCursor(cursor);
    // One extra member tells whether another page exists without a second round trip.
    const flat = await this.redis.zrevrangebyscore(
      key,
      maxScore,
      '-inf',
      'WITHSCORES',
      'LIMIT',
      skip,
      limit + 1,
    );
    const pairs: { id: string; score: string }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      pairs.push({ id: flat[i] as string, score: flat[i + 1] as string });
    const page = pairs.slice(0, limit);
    const raws = page.length ? await this.redis.mget(page.map((p) => this.keys.project(p.id))) : [];
    const items = raws.flatMap((raw) => (raw === null ? [] : [projectSchema.parse(JSON.parse(raw))]));
    const last = page[page.length - 1];
    if (pairs.length <= limit || !last) return { items };
    const sameScore = page.filter((p) => p.score === last.score).length;
    const nextSkip = last.score === maxScore ? skip + sameScore : sameScore;
    return { items, nextCursor: `${last.score}_${nextSkip}` };
  }

  async countByStatus(): Promise<Record<ProjectStatus, number>> {
    const raw = await this.redis.hgetall(this.keys.stats);
    const out = {} as Record<ProjectStatus, number>;
    for (const s of PROJECT_STATUSES) {
      out[s] = Number(raw[STATS.projectsIn(s)] ?? 0);
    }
    return out;
  }

  /** The raw counters hash (projects by status, LLM usage, hard-fix figures). */
  async counters(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.keys.stats);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }
}

function parseCursor(cursor: string | undefined): [string, number] {
  const match = cursor ? /^(\d+)_(\d+)$/.exec(cursor) : null;
  if (!cursor) return ['+inf', 0];
  if (!match) throw new InvalidCursorError(cursor);
  return [match[1] as string, Number(match[2])];
}

/** Every write of files is held to today's rules (reads are not: see storedFilesRecordSchema). */
function checkedFiles(id: string, files: ProjectFilesRecord): ProjectFilesRecord {
  const parsed = projectFilesRecordSchema.safeParse(files);
  if (!parsed.success) throw new InvalidFilesError(id, files, parsed.error);
  return parsed.data;
}

export class InvalidCursorError extends Error {
  readonly code = 'invalid_cursor';
  constructor(readonly cursor: string) {
    super(`cursor "${cursor}" is not one this API returned`);
    this.name = 'InvalidCursorError';
  }
}
