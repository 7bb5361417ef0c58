import { createHash } from 'node:crypto';
import {
  canonicalLanguage,
  type EditPattern,
  editPatternSchema,
  type FixRecordSource,
  type ImportedHistory,
  type LegacyFixRecord,
  languageSchema,
} from '@hardfix/contracts';
import type { Cluster, Redis } from 'ioredis';
import { keys as keysFor, type LibraryKeyTemplates, libraryKeyTemplates } from '../keys.js';
import { InvalidCursorError } from '../project-store.js';
import { errorSignature, SIGNATURE_VERSION, type SignatureInput, signaturesFor } from '../signature.js';
import { STATS } from '../stats-counters.js';
import { patternHash } from './edit-pattern.js';
import { makeFixPatch, wholeCodeHash } from './fix-patch.js';
import { learnEditPattern } from './learn-edit-pattern.js';
import { runLibraryScript } from './scripts.js';
import {
  DEMOTE_MIN_USES,
  type FixCandidate,
  type ImportOutcome,
  type ProvenFix,
  RECENT_OUTCOMES,
  rankOf,
  type SaveFixInput,
  type SaveResult,
} from './types.js';

export interface FixPage {
  items: ProvenFix[];
  /** Fixes matching the filter (not only this page): one ZCARD. */
  total: number;
  nextCursor?: string;
}

export interface ListFixesFilter {
  language?: string | undefined;
  errorType?: string | undefined;
}

/** How many fixes per signature a lookup offers; more would only be tried on later attempts. */
export const CANDIDATES_PER_SIGNATURE = 3;

/** "<first success ms, 15 digits>|<fix id>": sorts by time, then id, as plain strings. */
const indexMember = (firstMs: number, fixId: string) => `${String(firstMs).padStart(15, '0')}|${fixId}`;

/**
 * The proven-fix library in Redis (key layout in keys.ts). Reads are plain commands; every write is
 * one Lua script (lua/*.lua, run by scripts.ts), so concurrent workers keep exact counts. Fixes are ranked per signature
 * by success rate and demoted (no longer offered) when their recent outcomes turn bad (types.ts).
 */
export class FixLibrary {
  private readonly keys;
  private readonly base: { keys: LibraryKeyTemplates; history: number; min_uses: number };

  constructor(
    private readonly redis: Redis | Cluster,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.keys = keysFor(prefix);
    this.base = { keys: libraryKeyTemplates(prefix), history: RECENT_OUTCOMES, min_uses: DEMOTE_MIN_USES };
  }

  /** The listing indexes a fix of this language and error type is in. */
  private indexKeys(language: string, errorType: string): string[] {
    return [
      this.keys.fixesAll,
      this.keys.fixesByLanguage(language),
      this.keys.fixesByType(errorType),
      this.keys.fixesByLanguageAndType(language, errorType),
    ];
  }

  /** One fix by id (the first fix of a signature has the signature as id); undefined when unknown. */
  async get(fixId: string): Promise<ProvenFix | undefined> {
    const [hash, users] = await Promise.all([
      this.redis.hgetall(this.keys.fix(fixId)),
      this.redis.smembers(this.keys.fixUsers(fixId)),
    ]);
    return hash.fix_id ? { ...fromHash(hash), used_by_projects: users.sort() } : undefined;
  }

  /**
   * The fixes to try for an error, best first: those of its current signature, then those stored under
   * an older signature version's key. Demoted fixes are not offered. One round trip.
   */
  async lookupCandidates(error: SignatureInput): Promise<FixCandidate[]> {
    return this.lookupSignatures(signaturesFor(error).map((s) => s.signature));
  }

  /** The offered fixes of given signatures, best first (ties keep the signatures' order). */
  async lookupSignatures(signatures: string[]): Promise<FixCandidate[]> {
    // Two pipelined reads rather than a script: a lookup writes nothing, and a fix deleted between
    // them comes back empty and is skipped.
    const ranked = await exec(
      this.redis,
      signatures.map((sig) => [
        'zrevrangebyscore',
        this.keys.fixCandidates(sig),
        '+inf',
        '0',
        'LIMIT',
        '0',
        String(CANDIDATES_PER_SIGNATURE),
      ]),
    );
    const ids = [...new Set((ranked as string[][]).flat())];
    const hashes = (await exec(
      this.redis,
      ids.map((id) => ['hgetall', this.keys.fix(id)]),
    )) as Record<string, string>[];
    const rows = hashes.filter((h) => h.fix_id);
    const fixes = rows.map(fromHash);
    return (
      fixes
        .map((fix, i) => ({ fix, i, rank: rankOf(fix), tested: fix.evidence === 'tests' ? 1 : 0 }))
        // Proven here before imported-and-unproven (rank > 1); then proven by tests before a fix that only
        // ever made a program exit 0; then by success rate.
        .sort(
          (a, b) =>
            Number(b.rank > 1) - Number(a.rank > 1) || b.tested - a.tested || b.rank - a.rank || a.i - b.i,
        )
        .map((x) => x.fix)
    );
  }

  /** v1 compatibility: the best offered fix of one signature. */
  async lookup(signature: string): Promise<FixCandidate | undefined> {
    return (await this.lookupSignatures([signature]))[0];
  }

  /**
   * Records a verified fix, once per project and fix. With `fixId` (a reused library fix) the success
   * counts for that fix. Otherwise the change is compared with the signature's first fix: the same
   * change counts for it, a different one becomes another candidate for the signature.
   */
  async saveSuccess(input: SaveFixInput): Promise<SaveResult> {
    const at = this.now();
    const language = canonicalLanguage(input.language) ?? input.language;
    const patch =
      input.originalCode !== undefined ? makeFixPatch(input.originalCode, input.workingCode) : undefined;
    // A reused fix is not learnt again; a new one is, when the change is a small token-level edit.
    const pattern =
      input.fixId === undefined && input.originalCode !== undefined && input.errorMessage !== undefined
        ? learnEditPattern({
            language: languageSchema.catch('python').parse(language),
            message: input.errorMessage,
            originalCode: input.originalCode,
            workingCode: input.workingCode,
          })
        : undefined;
    // The same pattern learnt in two programs is one fix; without a pattern the change is the block
    // diff, and without the failing block the working code itself.
    const codeHash = pattern ? patternHash(pattern) : (patch?.changeHash ?? wholeCodeHash(input.workingCode));
    const dependencies = [...(input.dependencies ?? [])]
      .map((d) => d.trim())
      .filter(Boolean)
      .sort();
    // Declaring Pillow and declaring PyYAML are two fixes even where the code stays the same.
    const changeHash =
      dependencies.length > 0 ? wholeCodeHash(`${codeHash}\n${dependencies.join('\n')}`) : codeHash;
    const ids = [input.signature, `${input.signature}.${changeHash.slice(0, 8)}`];
    if (input.fixId) ids.unshift(input.fixId);
    const [saved, fixId, created] = (await runLibraryScript(
      this.redis,
      'save-success',
      [
        ...ids.flatMap((id) => [this.keys.fix(id), this.keys.fixUsers(id)]),
        this.keys.fixCandidates(input.signature),
        ...this.indexKeys(language, input.errorType),
        this.keys.stats,
      ],
      {
        ...this.base,
        hint_id: input.fixId ?? '',
        signature: input.signature,
        change_hash: changeHash,
        project: input.projectName,
        now_iso: at.toISOString(),
        now_ms: String(at.getTime()),
        member_ms: String(at.getTime()).padStart(15, '0'),
        attempts: input.attempts,
        error_type: input.errorType,
        language,
        description: input.description,
        working_code: input.workingCode,
        original_code: input.originalCode ?? null,
        patch: patch?.patch ?? '',
        signature_version: SIGNATURE_VERSION,
        source: input.source,
        pattern: pattern ? JSON.stringify(pattern) : '',
        error_message: (input.errorMessage ?? '').slice(0, 4000),
        error_scope: (input.errorScope ?? '').slice(0, 4000),
        counters: input.counters ?? {},
        evidence: input.evidence ?? 'run-only',
        dependencies: dependencies.length > 0 ? JSON.stringify(dependencies) : '',
      },
    )) as [number, string, number];
    return { saved: saved === 1, fixId, created: created === 1 };
  }

  /** Counts a reuse that did not verify against the fix; `useId` makes the count idempotent. */
  async recordFailure(fixId: string, useId: string): Promise<boolean> {
    const at = this.now();
    const result = await runLibraryScript(
      this.redis,
      'record-failure',
      [this.keys.fix(fixId), this.keys.fixFailures(fixId), this.keys.stats],
      { ...this.base, fix_id: fixId, use_id: useId, now_iso: at.toISOString(), now_ms: String(at.getTime()) },
    );
    return result === 1;
  }

  /** Offers a fix under another signature too (e.g. one computed by a newer algorithm). */
  async addAlias(fixId: string, signature: string): Promise<boolean> {
    const keys = [this.keys.fix(fixId), this.keys.fixCandidates(signature), this.keys.stats];
    const args = { ...this.base, fix_id: fixId, signature };
    return (await runLibraryScript(this.redis, 'add-alias', keys, args)) === 1;
  }

  /** Deletes a fix (by candidate id) or every fix of a signature; returns how many went. */
  async delete(target: string): Promise<number> {
    const keys = [this.keys.fix(target), this.keys.fixCandidates(target), this.keys.stats];
    return Number(await runLibraryScript(this.redis, 'delete', keys, { ...this.base, target }));
  }

  /**
   * Adds or merges one validated import record (see lua/import.lua): its counters, outcomes and projects
   * become the fix's imported history, shown but never ranked on; its ranking counters start at zero.
   */
  async importRecord(record: LegacyFixRecord): Promise<ImportOutcome> {
    const fixId = record.fix_id ?? record.error_signature;
    const past = record.imported;
    const firstMs = Date.parse(record.first_success);
    const change: { patch?: string | undefined; changeHash: string } =
      record.original_code !== undefined
        ? makeFixPatch(record.original_code, record.working_code)
        : { changeHash: wholeCodeHash(record.working_code) };
    const payload = {
      error_signature: record.error_signature,
      error_type: record.error_type,
      language: record.language,
      fix_description: record.fix_description,
      working_code: record.working_code,
      // What the record says about its past elsewhere (and what its own imports said): the fix's
      // imported history here, never its ranking counters (see lua/import.lua).
      success_count: record.success_count + (past?.success_count ?? 0),
      total_attempts: record.total_attempts + (past?.total_attempts ?? 0),
      failure_count: (record.failure_count ?? 0) + (past?.failure_count ?? 0),
      first_success: record.first_success,
      first_success_ms: String(firstMs),
      last_used: record.last_used,
      last_used_ms: String(Date.parse(record.last_used)),
      signature_version: record.signature_version ?? 0,
      fix_source: record.fix_source ?? 'import',
      original_code: record.original_code ?? null,
      patch: record.patch ?? change.patch ?? null,
      change_hash: change.changeHash,
      recent_outcomes: `${past?.recent_outcomes ?? ''}${record.recent_outcomes ?? ''}`,
      used_by_projects: [...new Set([...(past?.used_by_projects ?? []), ...record.used_by_projects])],
      aliases: record.aliases ?? [],
      pattern: record.pattern ? JSON.stringify(record.pattern) : null,
      error_message: record.error_message ?? null,
      error_scope: record.error_scope ?? null,
    };
    const fingerprint = createHash('md5').update(JSON.stringify(payload)).digest('hex');
    const outcome = (await runLibraryScript(
      this.redis,
      'import',
      [
        this.keys.fix(fixId),
        this.keys.fixUsers(fixId),
        this.keys.fixImports(fixId),
        this.keys.stats,
        ...this.indexKeys(record.language, record.error_type),
        ...[record.error_signature, ...payload.aliases].map((sig) => this.keys.fixCandidates(sig)),
      ],
      { ...this.base, fix_id: fixId, record: payload, fingerprint, member: indexMember(firstMs, fixId) },
    )) as ImportOutcome;
    // A record keyed by an older algorithm that kept its error is offered under today's signature too.
    if (outcome !== 'skipped' && record.error_message !== undefined) {
      const current = errorSignature({
        language: record.language,
        type: record.error_type,
        message: record.error_message,
        scope: record.error_scope,
      });
      if (current !== record.error_signature) await this.addAlias(fixId, current);
    }
    return outcome;
  }

  /** A page of fixes, newest first, optionally of one language and/or error type. */
  async list(filter: ListFixesFilter, limit: number, cursor?: string): Promise<FixPage> {
    const key = this.indexKey(filter);
    const max = cursor ? `(${decodeCursor(cursor)}` : '+';
    const [members, total] = await Promise.all([
      this.redis.zrevrangebylex(key, max, '-', 'LIMIT', 0, limit + 1),
      this.redis.zcard(key),
    ]);
    const page = members.slice(0, limit);
    const items = await this.getMany(page.map(idOfMember));
    const last = page[page.length - 1];
    return { items, total, ...(members.length > limit && last ? { nextCursor: encodeCursor(last) } : {}) };
  }

  /** Every fix, oldest first, in pages (for export). */
  async *all(pageSize = 500): AsyncGenerator<ProvenFix> {
    let min = '-';
    for (;;) {
      const members = await this.redis.zrangebylex(this.keys.fixesAll, min, '+', 'LIMIT', 0, pageSize);
      for (const fix of await this.getMany(members.map(idOfMember))) yield fix;
      const last = members[members.length - 1];
      if (members.length < pageSize || !last) return;
      min = `(${last}`;
    }
  }

  /**
   * Re-keys the fixes that stored their error (all saved since signature version 3) under the current
   * algorithm: each gets the current signature as an alias, so a changed algorithm loses no fix. Runs
   * once per version (a marker key records the version done); older fixes, which kept no message, are
   * still found by their own version's signature and are aliased when they next work (saveSuccess).
   * Returns how many fixes got a new alias.
   */
  async migrateSignatures(): Promise<number> {
    const done = Number((await this.redis.get(this.keys.fixesSignatureVersion)) ?? 0);
    if (done >= SIGNATURE_VERSION) return 0;
    let aliased = 0;
    for await (const fix of this.all()) {
      if (fix.signature_version >= SIGNATURE_VERSION || fix.error_message === undefined) continue;
      const current = errorSignature({
        language: fix.language,
        type: fix.error_type,
        message: fix.error_message,
        scope: fix.error_scope,
      });
      if (await this.addAlias(fix.fix_id, current)) aliased++;
    }
    await this.redis.set(this.keys.fixesSignatureVersion, String(SIGNATURE_VERSION));
    return aliased;
  }

  async size(): Promise<number> {
    return Number((await this.redis.hget(this.keys.stats, STATS.librarySize)) ?? 0);
  }

  private async getMany(ids: string[]): Promise<ProvenFix[]> {
    if (ids.length === 0) return [];
    const pipe = this.redis.pipeline();
    for (const id of ids) pipe.hgetall(this.keys.fix(id)).smembers(this.keys.fixUsers(id));
    const results = (await pipe.exec()) ?? [];
    const out: ProvenFix[] = [];
    for (let i = 0; i < ids.length; i++) {
      const [hashErr, hash] = results[2 * i] ?? [];
      const [usersErr, users] = results[2 * i + 1] ?? [];
      if (hashErr || usersErr) throw hashErr ?? usersErr;
      const h = hash as Record<string, string>;
      // Deleted between the index read and this one: skip rather than show an empty record.
      if (h.fix_id) out.push({ ...fromHash(h), used_by_projects: (users as string[]).sort() });
    }
    return out;
  }

  private indexKey({ language, errorType }: ListFixesFilter): string {
    const lang = language ? (canonicalLanguage(language) ?? language) : undefined;
    if (lang && errorType) return this.keys.fixesByLanguageAndType(lang, errorType);
    if (lang) return this.keys.fixesByLanguage(lang);
    if (errorType) return this.keys.fixesByType(errorType);
    return this.keys.fixesAll;
  }
}

/** Runs commands in one pipeline; the first failed command's error is thrown. */
async function exec(redis: Redis | Cluster, commands: string[][]): Promise<unknown[]> {
  if (commands.length === 0) return [];
  const results = (await redis.pipeline(commands).exec()) ?? [];
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

function fromHash(h: Record<string, string>): FixCandidate {
  const aliases = (h.aliases ?? '').split(' ').filter(Boolean);
  // Fixes saved before provenance was kept: an import is known by its source.
  const provenance =
    h.provenance === 'imported' || (!h.provenance && h.fix_source === 'import') ? 'imported' : 'local';
  const pattern = parsePattern(h.pattern);
  return {
    error_signature: h.error_signature ?? '',
    fix_id: h.fix_id ?? '',
    error_type: h.error_type ?? '',
    language: languageSchema.catch('python').parse(h.language),
    fix_description: h.fix_description ?? '',
    working_code: h.working_code ?? '',
    success_count: Number(h.success_count ?? 0),
    total_attempts: Number(h.total_attempts ?? 0),
    first_success: h.first_success ?? '',
    last_used: h.last_used ?? '',
    failure_count: Number(h.failure_count ?? 0),
    signature_version: Number(h.signature_version ?? SIGNATURE_VERSION),
    fix_source: (h.fix_source ?? 'llm') as FixRecordSource,
    ...(h.original_code !== undefined ? { original_code: h.original_code } : {}),
    ...(h.patch ? { patch: h.patch } : {}),
    recent_outcomes: h.recent_outcomes ?? '',
    aliases,
    demoted: h.demoted === '1',
    provenance,
    local_success_count: Number(h.local_success_count ?? (provenance === 'local' ? h.success_count : 0) ?? 0),
    ...(pattern ? { pattern } : {}),
    ...(h.error_message ? { error_message: h.error_message } : {}),
    ...(h.error_scope ? { error_scope: h.error_scope } : {}),
    ...(h.dependencies ? { dependencies: parseDependencies(h.dependencies) } : {}),
    evidence: h.evidence === 'tests' ? 'tests' : 'run-only',
    ...(h.imported_success_count !== undefined ? { imported: importedHistory(h) } : {}),
  };
}

function importedHistory(h: Record<string, string>): ImportedHistory {
  let users: unknown;
  try {
    users = JSON.parse(h.imported_used_by_projects ?? '[]');
  } catch {
    users = [];
  }
  return {
    success_count: Number(h.imported_success_count ?? 0),
    total_attempts: Number(h.imported_total_attempts ?? 0),
    failure_count: Number(h.imported_failure_count ?? 0),
    recent_outcomes: h.imported_recent_outcomes ?? '',
    // Lua's cjson writes an empty list as {}.
    used_by_projects: Array.isArray(users) ? users.filter((u): u is string => typeof u === 'string') : [],
  };
}

function parsePattern(raw: string | undefined): EditPattern | undefined {
  if (!raw) return undefined;
  try {
    const parsed = editPatternSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const idOfMember = (member: string) => member.slice(member.indexOf('|') + 1);

function encodeCursor(member: string): string {
  return Buffer.from(member).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const member = Buffer.from(cursor, 'base64url').toString();
  if (!/^\d{15}\|[\w.-]+$/.test(member)) throw new InvalidCursorError(cursor);
  return member;
}

function parseDependencies(raw: string): string[] {
  try {
    const list: unknown = JSON.parse(raw);
    return Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    return [];
  }
}
