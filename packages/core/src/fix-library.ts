import type { Redis } from 'ioredis';
import { keys as keysFor } from './keys.js';
import { LuaScript } from './lua.js';
import { SIGNATURE_VERSION } from './signature.js';

/** A proven fix in the seed's `hard_fixes_database.json` shape, plus what reuse needs. */
export interface ProvenFix {
  error_signature: string;
  error_type: string;
  language: string;
  fix_description: string;
  working_code: string;
  success_count: number;
  total_attempts: number;
  used_by_projects: string[];
  first_success: string;
  last_used: string;
  /** Reuses that did not verify. */
  failure_count: number;
  signature_version: number;
  fix_source: 'llm' | 'manual' | 'library' | 'import';
  /** The failing block the fix replaced, when known. */
  original_code?: string;
}

export interface SaveFixInput {
  signature: string;
  errorType: string;
  language: string;
  description: string;
  workingCode: string;
  originalCode?: string;
  /** Attempts this success took (the seed's total_attempts for a new fix). */
  attempts: number;
  projectName: string;
  source: ProvenFix['fix_source'];
  /** Counters to bump in the same atomic step, only when this success is new. */
  counters?: Record<string, number>;
}

/**
 * Records a success, once per project: a new signature becomes a fix (indexed and counted), a known one
 * gains a success; a project already in used_by_projects changes nothing, so a re-run cannot double count.
 */
const saveSuccessScript = new LuaScript(`
if redis.call('SISMEMBER', KEYS[2], ARGV[7]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1],
    'error_signature', ARGV[1], 'error_type', ARGV[2], 'language', ARGV[3], 'fix_description', ARGV[4],
    'working_code', ARGV[5], 'success_count', 1, 'total_attempts', ARGV[6], 'first_success', ARGV[8],
    'last_used', ARGV[8], 'failure_count', 0, 'signature_version', ARGV[10], 'fix_source', ARGV[11],
    'original_code', ARGV[12])
  redis.call('ZADD', KEYS[3], ARGV[9], ARGV[1])
  redis.call('SADD', KEYS[4], ARGV[1])
  redis.call('SADD', KEYS[5], ARGV[1])
  redis.call('HINCRBY', KEYS[6], 'fixes:total', 1)
else
  redis.call('HINCRBY', KEYS[1], 'success_count', 1)
  redis.call('HINCRBY', KEYS[1], 'total_attempts', ARGV[6])
  redis.call('HSET', KEYS[1], 'last_used', ARGV[8])
end
redis.call('SADD', KEYS[2], ARGV[7])
for i = 13, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[6], ARGV[i], ARGV[i + 1])
end
return 1
`);

const recordFailureScript = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[1], 'failure_count', 1)
redis.call('HINCRBY', KEYS[1], 'total_attempts', 1)
redis.call('HSET', KEYS[1], 'last_used', ARGV[2])
return 1
`);

/** A fix that failed this often, and more often than it worked, is no longer offered. */
export const DEMOTE_AFTER_FAILURES = 3;

export function isDemoted(fix: Pick<ProvenFix, 'failure_count' | 'success_count'>): boolean {
  return fix.failure_count >= DEMOTE_AFTER_FAILURES && fix.failure_count > fix.success_count;
}

export class FixLibrary {
  private readonly k;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.k = keysFor(prefix);
  }

  async get(signature: string): Promise<ProvenFix | undefined> {
    const [hash, users] = await Promise.all([
      this.redis.hgetall(this.k.fix(signature)),
      this.redis.smembers(this.k.fixUsers(signature)),
    ]);
    if (!hash.error_signature) return undefined;
    return {
      error_signature: hash.error_signature,
      error_type: hash.error_type ?? '',
      language: hash.language ?? '',
      fix_description: hash.fix_description ?? '',
      working_code: hash.working_code ?? '',
      success_count: Number(hash.success_count ?? 0),
      total_attempts: Number(hash.total_attempts ?? 0),
      used_by_projects: users.sort(),
      first_success: hash.first_success ?? '',
      last_used: hash.last_used ?? '',
      failure_count: Number(hash.failure_count ?? 0),
      signature_version: Number(hash.signature_version ?? SIGNATURE_VERSION),
      fix_source: (hash.fix_source ?? 'llm') as ProvenFix['fix_source'],
      ...(hash.original_code ? { original_code: hash.original_code } : {}),
    };
  }

  /** The fix to try for a signature, unless it has been demoted for failing. */
  async lookup(signature: string): Promise<ProvenFix | undefined> {
    const fix = await this.get(signature);
    return fix && !isDemoted(fix) ? fix : undefined;
  }

  /** Returns true when this project's success was new (false: already counted). */
  async saveSuccess(input: SaveFixInput): Promise<boolean> {
    const at = this.now();
    const result = await saveSuccessScript.run(
      this.redis,
      [
        this.k.fix(input.signature),
        this.k.fixUsers(input.signature),
        this.k.fixesAll,
        this.k.fixesByLanguage(input.language),
        this.k.fixesByType(input.errorType),
        this.k.stats,
      ],
      [
        input.signature,
        input.errorType,
        input.language,
        input.description,
        input.workingCode,
        input.attempts,
        input.projectName,
        at.toISOString(),
        at.getTime(),
        SIGNATURE_VERSION,
        input.source,
        input.originalCode ?? '',
        ...Object.entries(input.counters ?? {}).flat(),
      ],
    );
    return result === 1;
  }

  /** Counts a reuse that did not verify against the fix; `useId` makes the count idempotent. */
  async recordFailure(signature: string, useId: string): Promise<boolean> {
    const result = await recordFailureScript.run(
      this.redis,
      [this.k.fix(signature), this.k.fixFailures(signature)],
      [useId, this.now().toISOString()],
    );
    return result === 1;
  }

  async size(): Promise<number> {
    return this.redis.zcard(this.k.fixesAll);
  }
}
