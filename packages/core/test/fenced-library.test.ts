import { runInJob, useRedis } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import { LeaseLostError, withFence } from '../src/fence.js';
import { FixLibrary } from '../src/fix-library/index.js';
import { keys } from '../src/keys.js';
import { errorSignature } from '../src/signature.js';

// Also in the `cluster` test project: there the job's lock (a BullMQ key) and the library's keys share
// the hash-tagged prefix's slot, which is what lets one script check the one and write the others.
const redisFx = useRedis();
const SIG = errorSignature({ language: 'python', type: 'NameError', message: "name 'json' is not defined" });
const OTHER_SIG = errorSignature({ language: 'python', type: 'KeyError', message: "'total'" });
const ALIAS = 'an-older-signature';

function save(
  lib: FixLibrary,
  projectName: string,
  extra: Partial<Parameters<FixLibrary['saveSuccess']>[0]> = {},
) {
  return lib.saveSuccess({
    signature: SIG,
    errorType: 'NameError',
    language: 'python',
    description: 'import json',
    workingCode: 'import json\nprint(json.dumps(1))',
    originalCode: 'print(json.dumps(1))',
    attempts: 2,
    projectName,
    source: 'llm',
    counters: { 'hardfix:successes': 1 },
    ...extra,
  });
}

/** Every key the library writes for these signatures, as it stands: a refused write must leave it all. */
async function libraryState() {
  const { redis, prefix } = redisFx.current;
  const k = keys(prefix);
  return {
    fix: await redis.hgetall(k.fix(SIG)),
    users: (await redis.smembers(k.fixUsers(SIG))).sort(),
    failures: (await redis.smembers(k.fixFailures(SIG))).sort(),
    candidates: await Promise.all(
      [SIG, ALIAS, OTHER_SIG, 'newer-signature'].map((s) =>
        redis.zrange(k.fixCandidates(s), 0, -1, 'WITHSCORES'),
      ),
    ),
    otherFix: await redis.hgetall(k.fix(OTHER_SIG)),
    index: await redis.zrange(k.fixesAll, 0, -1),
    stats: await redis.hgetall(k.stats),
  };
}

describe('fix-library writes inside a job', () => {
  it('count once while the job holds its lock, and callers outside a job (the API) are not fenced', async () => {
    const { url, prefix, redis } = redisFx.current;
    const lib = new FixLibrary(redis, prefix);
    // The API's writes: no job, no fence.
    await expect(save(lib, 'api-project', { evidence: 'run-only' })).resolves.toMatchObject({ saved: true });
    await expect(lib.addAlias(SIG, ALIAS)).resolves.toBe(true);

    const inJob = await runInJob(url, prefix, (lock) =>
      withFence(lock, async () => ({
        saved: await save(lib, 'job-project', { fixId: SIG, evidence: 'tests' }),
        failed: await lib.recordFailure(SIG, 'job-project:hard-fix:1'),
        aliased: await lib.addAlias(SIG, 'newer-signature'),
      })),
    );
    expect(inJob).toEqual({
      status: 'fulfilled',
      value: { saved: { saved: true, fixId: SIG, created: false }, failed: true, aliased: true },
    });
    expect(await lib.get(SIG)).toMatchObject({
      success_count: 2,
      failure_count: 1,
      aliases: [ALIAS, 'newer-signature'],
      used_by_projects: ['api-project', 'job-project'],
      evidence: 'tests',
    });
    expect((await libraryState()).stats).toMatchObject({ 'hardfix:successes': '2' });
  });

  it('are refused once the lock holds another runner token or is gone, and nothing changes', async () => {
    const { url, prefix, redis } = redisFx.current;
    const lib = new FixLibrary(redis, prefix);
    await save(lib, 'first', { evidence: 'run-only' });
    // With an alias, recordFailure and saveSuccess first ask back for its candidate set: the fence
    // holds on every run of the script, the one that would write included.
    await lib.addAlias(SIG, ALIAS);
    const before = await libraryState();

    for (const takeover of ['another-runner-token', undefined]) {
      const outcome = await runInJob(url, prefix, async (lock) => {
        if (takeover) await redis.set(lock.key, takeover);
        else await redis.del(lock.key);
        return withFence(lock, async () => {
          const refused = await Promise.allSettled([
            save(lib, 'second', { fixId: SIG, evidence: 'tests' }),
            save(lib, 'second', { signature: OTHER_SIG, errorType: 'KeyError' }),
            lib.recordFailure(SIG, 'second:hard-fix:1'),
            lib.addAlias(SIG, 'newer-signature'),
          ]);
          return refused.map((r) => (r.status === 'rejected' ? r.reason : r.value));
        });
      });
      expect(outcome.status).toBe('fulfilled');
      const errors = outcome.status === 'fulfilled' ? outcome.value : [];
      expect(errors).toHaveLength(4);
      for (const err of errors) expect(err).toBeInstanceOf(LeaseLostError);
    }
    // No proven-fix count doubled or lost, no alias, no evidence raised, no new fix, no counter moved.
    expect(await libraryState()).toEqual(before);
    expect(await lib.get(SIG)).toMatchObject({ success_count: 1, failure_count: 0, evidence: 'run-only' });
  });
});
