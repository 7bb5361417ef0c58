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
} from '@hardfix/contracts';
import type { Redis } from 'ioredis';
import { detectEvent } from './events/detect-event.js';
import { appendEventArgs, appendEventLua } from './events/outbox.js';
import { fenceArgs, fenceLua, LeaseLostError } from './fence.js';
import { keys as keysFor } from './keys.js';
import { LuaScript } from './lua.js';
import { STATS } from './stats-counters.js';

/**
 * Creates a project atomically: the name is claimed, the record and files written, the project
 * indexed by status and counted, its event (if it starts in an event status) appended to the outbox,
 * or nothing at all happens (the name was taken: returns its owner).
 */
const createScript = new LuaScript(`
local owner = redis.call('GET', KEYS[1])
if owner then return {0, owner} end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
redis.call('HINCRBY', KEYS[6], 'projects:' .. ARGV[5], 1)
redis.call('HINCRBY', KEYS[6], 'projects:total', 1)
${appendEventLua(7, 6)}
return {1, ARGV[1]}
`);

/**
 * Compare-and-set on the record's version; moves the id between status sets and keeps the
 * per-status counters exact in the same step. The event the write amounts to (delivered, manual
 * review, abandoned, parked) goes to the outbox in the same step too, so no crash can separate a
 * transition from its event, and every path that changes a project emits without knowing about
 * events. Returns 0 when someone else wrote first (nothing was written, no event appended), -2 when
 * the writer's fence (KEYS[7], ARGV[11]) is no longer held.
 */
const updateScript = new LuaScript(`
${fenceLua(7, 11)}
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
local record = cjson.decode(current)
if tonumber(record['version']) ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
${appendEventLua(5, 6)}
local old = record['status']
local new = ARGV[3]
if old ~= new then
  local score = redis.call('ZSCORE', KEYS[2], ARGV[4])
  if not score then score = ARGV[5] end
  redis.call('ZREM', KEYS[2], ARGV[4])
  redis.call('ZADD', KEYS[3], score, ARGV[4])
  redis.call('HINCRBY', KEYS[4], 'projects:' .. old, -1)
  redis.call('HINCRBY', KEYS[4], 'projects:' .. new, 1)
end
for i = 12, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[4], ARGV[i], ARGV[i + 1])
end
return 1
`);

/** A plain SET (with an optional expiry in seconds) made only while the writer's fence holds. */
const fencedSetScript = new LuaScript(`
${fenceLua(2, 3)}
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1
`);

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
  private readonly k;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.k = keysFor(prefix);
  }

  /** The connection writes go through (for lease checks next to writes that cannot join a script). */
  get redisClient(): Redis {
    return this.redis;
  }

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
    const files: ProjectFilesRecord = input.files ?? { files: [] };
    const detected = detectEvent(undefined, project);
    if (detected?.parkedMark) project.parkedEventFor = detected.parkedMark;
    const [created, id] = (await createScript.run(
      this.redis,
      [
        this.k.projectName(project.name),
        this.k.project(project.id),
        this.k.projectFiles(project.id),
        this.k.projectsByStatus(project.status),
        this.k.projectsAll,
        this.k.stats,
        this.k.events,
        this.k.projectEvents(project.id),
      ],
      [
        project.id,
        JSON.stringify(project),
        JSON.stringify(files),
        at.getTime(),
        project.status,
        ...appendEventArgs(detected?.event, project.callbackUrl),
      ],
    )) as [number, string];
    return created === 1 ? { created: true, project } : { created: false, existingId: id };
  }

  async get(id: string): Promise<Project | undefined> {
    const raw = await this.redis.get(this.k.project(id));
    return raw === null ? undefined : projectSchema.parse(JSON.parse(raw));
  }

  async mustGet(id: string): Promise<Project> {
    const project = await this.get(id);
    if (!project) throw new ProjectNotFoundError(id);
    return project;
  }

  async getFiles(id: string): Promise<ProjectFilesRecord> {
    const raw = await this.redis.get(this.k.projectFiles(id));
    return raw === null ? { files: [] } : projectFilesRecordSchema.parse(JSON.parse(raw));
  }

  /** Files are replaced whole; they only change together with an attempt that produced them. */
  async setFiles(id: string, files: ProjectFilesRecord): Promise<void> {
    await this.fencedSet(this.k.projectFiles(id), JSON.stringify(projectFilesRecordSchema.parse(files)));
  }

  /** Writes one key, unless this runs inside a job whose lease is lost (see withFence). */
  private async fencedSet(key: string, value: string, ttlSeconds?: number): Promise<void> {
    const { key: fenceKey, token, fence } = fenceArgs(key);
    const result = await fencedSetScript.run(
      this.redis,
      [key, fenceKey],
      [value, ttlSeconds === undefined ? '' : ttlSeconds, token],
    );
    if (result === -2 && fence) throw new LeaseLostError(fence);
  }

  /** The files one attempt produced (see keys.attemptFiles); undefined when that attempt has none yet. */
  async getAttemptFiles(id: string, stage: Stage, n: number): Promise<ProjectFilesRecord | undefined> {
    const raw = await this.redis.get(this.k.attemptFiles(id, stage, n));
    return raw === null ? undefined : projectFilesRecordSchema.parse(JSON.parse(raw));
  }

  async setAttemptFiles(id: string, stage: Stage, n: number, files: ProjectFilesRecord): Promise<void> {
    const value = JSON.stringify(projectFilesRecordSchema.parse(files));
    await this.fencedSet(this.k.attemptFiles(id, stage, n), value, ATTEMPT_FILES_TTL_SECONDS);
  }

  async getHardFixOrigin(id: string): Promise<HardFixOrigin | undefined> {
    const raw = await this.redis.get(this.k.hardFixOrigin(id));
    return raw === null ? undefined : hardFixOriginSchema.parse(JSON.parse(raw));
  }

  async setHardFixOrigin(id: string, origin: HardFixOrigin): Promise<void> {
    const value = JSON.stringify(hardFixOriginSchema.parse(origin));
    await this.fencedSet(this.k.hardFixOrigin(id), value, ATTEMPT_FILES_TTL_SECONDS);
  }

  /**
   * Applies `change` to the latest record and writes it if nobody wrote in between (else re-reads
   * and re-applies). `change` returns the new record, or undefined to leave it as it is. Counter
   * deltas are applied in the same atomic step, so /status never disagrees with the records, and so
   * is the event the change amounts to (see detectEvent).
   *
   * `known`: the record as the caller last read or wrote it. The first try starts from it and saves a
   * round trip (a hop's read); if anyone wrote since, the compare-and-set refuses it and the loop
   * re-reads as usual, so a stale `known` costs a retry, never a lost write.
   */
  async update(
    id: string,
    change: (current: Project) => Project | undefined,
    counters: CounterDeltas | ((current: Project, next: Project) => CounterDeltas) = {},
    known?: Project,
  ): Promise<Project> {
    let guess = known?.id === id ? known : undefined;
    for (;;) {
      const fromGuess = guess !== undefined;
      const current = guess ?? (await this.mustGet(id));
      guess = undefined;
      const changed = change(structuredClone(current));
      // "Nothing to do" is only trusted from the record as it is now, never from a guess.
      if (changed === undefined) {
        if (fromGuess) continue;
        return current;
      }
      const next = projectSchema.parse({
        ...changed,
        version: current.version + 1,
        updatedAt: this.now().toISOString(),
      });
      const deltas = typeof counters === 'function' ? counters(current, next) : counters;
      const detected = detectEvent(current, next);
      if (detected?.parkedMark) next.parkedEventFor = detected.parkedMark;
      const counterArgs = Object.entries(deltas).flat();
      const fenced = fenceArgs(this.k.project(id));
      const result = await updateScript.run(
        this.redis,
        [
          this.k.project(id),
          this.k.projectsByStatus(current.status),
          this.k.projectsByStatus(next.status),
          this.k.stats,
          this.k.events,
          this.k.projectEvents(id),
          fenced.key,
        ],
        [
          current.version,
          JSON.stringify(next),
          next.status,
          id,
          Date.parse(current.createdAt),
          ...appendEventArgs(detected?.event, next.callbackUrl),
          fenced.token,
          ...counterArgs,
        ],
      );
      if (result === 1) return next;
      if (result === -1) throw new ProjectNotFoundError(id);
      if (result === -2 && fenced.fence) throw new LeaseLostError(fenced.fence);
    }
  }

  /**
   * Newest first, within one status or across all. The cursor is "<score>_<skip>": resume at that
   * creation time, skipping the members with exactly that score already returned, so projects created
   * in the same millisecond are neither repeated nor lost between pages.
   */
  async list(status: ProjectStatus | undefined, limit: number, cursor?: string): Promise<ProjectPage> {
    const key = status ? this.k.projectsByStatus(status) : this.k.projectsAll;
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
    const raws = page.length ? await this.redis.mget(page.map((p) => this.k.project(p.id))) : [];
    const items = raws.flatMap((raw) => (raw === null ? [] : [projectSchema.parse(JSON.parse(raw))]));
    const last = page[page.length - 1];
    if (pairs.length <= limit || !last) return { items };
    const sameScore = page.filter((p) => p.score === last.score).length;
    const nextSkip = last.score === maxScore ? skip + sameScore : sameScore;
    return { items, nextCursor: `${last.score}_${nextSkip}` };
  }

  async countByStatus(): Promise<Record<ProjectStatus, number>> {
    const raw = await this.redis.hgetall(this.k.stats);
    const out = {} as Record<ProjectStatus, number>;
    for (const s of PROJECT_STATUSES) {
      out[s] = Number(raw[STATS.projectsIn(s)] ?? 0);
    }
    return out;
  }

  /** The raw counters hash (projects by status, LLM usage, hard-fix figures). */
  async counters(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.k.stats);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }
}

function parseCursor(cursor: string | undefined): [string, number] {
  const match = cursor ? /^(\d+)_(\d+)$/.exec(cursor) : null;
  if (!cursor) return ['+inf', 0];
  if (!match) throw new InvalidCursorError(cursor);
  return [match[1] as string, Number(match[2])];
}

export class InvalidCursorError extends Error {
  readonly code = 'invalid_cursor';
  constructor(readonly cursor: string) {
    super(`cursor "${cursor}" is not one this API returned`);
    this.name = 'InvalidCursorError';
  }
}
