import { legacyFixRecordSchema } from '@hardfix/contracts';
import { connectRedis, createRedisFixture, keysWithPrefix, useRedis } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import {
  exportFixes,
  FixLibrary,
  InvalidFixRecordError,
  importFixes,
  parseFixRecords,
} from '../src/fix-library/index.js';
import { keys } from '../src/keys.js';
import { errorSignature, errorSignatureV1, errorSignatureV2, SIGNATURE_VERSION } from '../src/signature.js';

const redisFx = useRedis();
const error = { language: 'python', type: 'NameError', message: "name 'Image' is not defined" };
const SIG = errorSignature(error);
const ORIGINAL = 'import os\nimg = Image.open("a.png")\n';
const WORKING = 'import os\nfrom PIL import Image\nimg = Image.open("a.png")\n';

function library() {
  const { redis, prefix } = redisFx.current;
  return new FixLibrary(redis, prefix);
}

function save(lib: FixLibrary, projectName: string, extra: Record<string, unknown> = {}) {
  return lib.saveSuccess({
    signature: SIG,
    errorType: 'NameError',
    language: 'python',
    description: 'add the PIL import',
    workingCode: WORKING,
    originalCode: ORIGINAL,
    attempts: 3,
    projectName,
    source: 'llm',
    ...extra,
  });
}

async function stats() {
  const { redis, prefix } = redisFx.current;
  return redis.hgetall(keys(prefix).stats);
}

describe('FixLibrary', () => {
  it('saves a fix with its patch, indexes and counts it, and is idempotent per project', async () => {
    const lib = library();
    expect(await save(lib, 'resizer', { counters: { 'hardfix:successes': 1 } })).toEqual({
      saved: true,
      fixId: SIG,
      created: true,
    });
    expect(await save(lib, 'resizer', { counters: { 'hardfix:successes': 1 } })).toMatchObject({
      saved: false,
    });
    const fix = await lib.get(SIG);
    expect(fix).toMatchObject({
      error_signature: SIG,
      fix_id: SIG,
      error_type: 'NameError',
      language: 'python',
      working_code: WORKING,
      original_code: ORIGINAL,
      success_count: 1,
      total_attempts: 3,
      used_by_projects: ['resizer'],
      failure_count: 0,
      signature_version: SIGNATURE_VERSION,
      provenance: 'local',
      local_success_count: 1,
      fix_source: 'llm',
      recent_outcomes: '1',
      demoted: false,
    });
    expect(fix?.patch).toContain('+from PIL import Image');
    expect(await stats()).toMatchObject({ 'fixes:total': '1', 'hardfix:successes': '1' });
    expect((await lib.list({ language: 'py' }, 10)).total).toBe(1);
    expect((await lib.list({ language: 'java' }, 10)).total).toBe(0);
    expect((await lib.list({ errorType: 'NameError', language: 'python' }, 10)).items).toHaveLength(1);
  });

  it('counts the same change from another program for the same fix, a different change as a candidate', async () => {
    const lib = library();
    await save(lib, 'a');
    const same = await lib.saveSuccess({
      signature: SIG,
      errorType: 'NameError',
      language: 'python',
      description: 'x',
      originalCode: 'def f():\n    return Image\n',
      workingCode: 'from PIL import Image\ndef f():\n    return Image\n',
      attempts: 1,
      projectName: 'b',
      source: 'library',
    });
    expect(same).toEqual({ saved: true, fixId: SIG, created: false });
    const other = await save(lib, 'c', {
      workingCode: 'import os\nfrom PIL import Image as Image\nimg = 1\n',
    });
    expect(other.created).toBe(true);
    expect(other.fixId).toMatch(new RegExp(`^${SIG}\\.[0-9a-f]{8}$`));
    const candidates = await lib.lookupCandidates(error);
    expect(candidates.map((c) => c.fix_id)).toEqual([SIG, other.fixId]);
    expect(await stats()).toMatchObject({ 'fixes:total': '2', 'fixes:reuse-successes': '1' });
    expect((await lib.list({}, 10)).total).toBe(2);
  });

  it('demotes a fix whose recent uses mostly failed, and ranks the other candidate first', async () => {
    const lib = library();
    await save(lib, 'a');
    const other = await save(lib, 'b', { workingCode: 'import os\nimport PIL.Image as Image\nimg = 1\n' });
    expect(await lib.recordFailure(SIG, 'p1:1')).toBe(true);
    expect(await lib.recordFailure(SIG, 'p1:1')).toBe(false);
    expect(await lib.recordFailure(SIG, 'p2:1')).toBe(true);
    // "100": three uses, not yet a handful; the other candidate now ranks first.
    expect((await lib.lookupCandidates(error)).map((c) => c.fix_id)).toEqual([other.fixId, SIG]);
    expect(await lib.recordFailure(SIG, 'p3:1')).toBe(true);
    const fix = await lib.get(SIG);
    expect(fix).toMatchObject({
      recent_outcomes: '1000',
      failure_count: 3,
      demoted: true,
      total_attempts: 6,
    });
    expect((await lib.lookupCandidates(error)).map((c) => c.fix_id)).toEqual([other.fixId]);
    expect(await stats()).toMatchObject({ 'fixes:demoted': '1', 'fixes:reuse-failures': '3' });
    expect((await lib.list({}, 10)).items.find((f) => f.fix_id === SIG)?.demoted).toBe(true);
    expect(await lib.recordFailure('unknown', 'x')).toBe(false);
    // Successes bring it back once they are most of its recent outcomes.
    for (const p of ['c', 'd', 'e']) await save(lib, p, { fixId: SIG });
    expect(await lib.get(SIG)).toMatchObject({ recent_outcomes: '1000111', demoted: false });
    expect(await stats()).toMatchObject({ 'fixes:demoted': '0' });
  });

  it('keeps exact counts and every project name when many workers reuse one fix at once', async () => {
    const lib = library();
    await save(lib, 'origin');
    const { url, prefix } = redisFx.current;
    const clients = Array.from({ length: 4 }, () => connectRedis(url));
    try {
      const libs = clients.map((c) => new FixLibrary(c, prefix));
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => {
          const l = libs[i % libs.length] as FixLibrary;
          return i % 3 === 0
            ? l.recordFailure(SIG, `p${i}:1`)
            : save(l, `p${i}`, {
                fixId: SIG,
                source: 'library',
                counters: { 'hardfix:library-successes': 1 },
              });
        }),
      );
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
    const fix = await lib.get(SIG);
    expect(fix?.success_count).toBe(41);
    expect(fix?.failure_count).toBe(20);
    expect(fix?.used_by_projects).toHaveLength(41);
    expect(fix?.total_attempts).toBe(3 + 40 * 3 + 20);
    expect(await stats()).toMatchObject({
      'fixes:total': '1',
      'fixes:reuse-successes': '40',
      'fixes:reuse-failures': '20',
      'hardfix:library-successes': '40',
    });
  });

  it('learns the edit pattern of a fix, and counts the same pattern from another program for the same fix', async () => {
    const lib = library();
    await save(lib, 'resizer', { errorMessage: "name 'Image' is not defined" });
    const fix = await lib.get(SIG);
    expect(fix).toMatchObject({
      pattern: { anchor: 'Image', edits: [{ kind: 'import', line: 'from PIL import Image' }] },
      error_message: "name 'Image' is not defined",
      provenance: 'local',
    });
    // Different lines around the same edit: the block diffs differ, the pattern does not.
    const other = await save(lib, 'gallery', {
      errorMessage: "name 'Image' is not defined",
      originalCode: 'def load(p):\n    return Image.open(p)\n',
      workingCode: 'def load(p):\n    from PIL import Image\n    return Image.open(p)\n',
    });
    expect(other).toEqual({ saved: true, fixId: SIG, created: false });
    expect(await lib.get(SIG)).toMatchObject({ success_count: 2, used_by_projects: ['gallery', 'resizer'] });
  });

  it('ranks an imported fix below a local one until it has worked here', async () => {
    const lib = library();
    await save(lib, 'local-one', { errorMessage: "name 'Image' is not defined" });
    await lib.recordFailure(SIG, 'p:1');
    await importFixes(
      lib,
      parseFixRecords([
        {
          error_signature: SIG,
          fix_id: `${SIG}.imported`,
          error_type: 'NameError',
          language: 'py',
          fix_description: 'proven elsewhere, many times',
          working_code: 'import PIL.Image as Image\nimg = Image.open("a.png")\n',
          original_code: ORIGINAL,
          success_count: 500,
          total_attempts: 500,
          fix_source: 'llm',
          first_success: '2025-01-12T15:30:00',
          last_used: '2025-01-12T15:30:00',
        },
      ]),
    );
    const imported = await lib.get(`${SIG}.imported`);
    expect(imported).toMatchObject({ provenance: 'imported', fix_source: 'llm', local_success_count: 0 });
    // 500 successes elsewhere against 1 of 2 here: the local fix still comes first.
    expect((await lib.lookupCandidates(error)).map((f) => f.fix_id)).toEqual([SIG, `${SIG}.imported`]);

    // Once it has worked here, its counters count.
    await lib.saveSuccess({
      fixId: `${SIG}.imported`,
      signature: SIG,
      errorType: 'NameError',
      language: 'python',
      description: 'reused',
      workingCode: '',
      attempts: 1,
      projectName: 'here',
      source: 'library',
    });
    expect(await lib.get(`${SIG}.imported`)).toMatchObject({
      provenance: 'imported',
      local_success_count: 1,
    });
    expect((await lib.lookupCandidates(error)).map((f) => f.fix_id)).toEqual([`${SIG}.imported`, SIG]);
  });

  it('migrates stored fixes to a new signature version: by their stored message, and on reuse', async () => {
    const { redis, prefix } = redisFx.current;
    const lib = library();
    const hinted = {
      language: 'python',
      type: 'NameError',
      message: "name 'lenght' is not defined. Did you mean: 'length'?",
    };
    const v2 = errorSignatureV2(hinted);
    const v3 = errorSignature(hinted);
    expect(v3).not.toBe(v2);
    // As version 2 stored it (its signature kept the hint), with the message the migration needs.
    await lib.saveSuccess({
      signature: v2,
      errorType: 'NameError',
      language: 'python',
      description: 'rename',
      workingCode: 'n = length',
      originalCode: 'n = lenght',
      errorMessage: hinted.message,
      attempts: 1,
      projectName: 'old',
      source: 'llm',
    });
    await redis.hset(keys(prefix).fix(v2), 'signature_version', '2');
    // The hint differs in the next program: only the version 3 signature matches.
    const plain = { ...hinted, message: "name 'lenght' is not defined" };
    expect(await lib.lookupCandidates(plain)).toEqual([]);
    expect(await lib.migrateSignatures()).toBe(1);
    expect((await lib.lookupCandidates(plain)).map((f) => f.fix_id)).toEqual([v2]);
    expect(await lib.migrateSignatures()).toBe(0);

    // An imported record of an older version that kept its message is offered under today's signature.
    const pushed = {
      language: 'python',
      type: 'AttributeError',
      message: "'list' object has no attribute 'push'. Did you mean: 'pop'?",
    };
    await importFixes(
      lib,
      parseFixRecords([
        {
          error_signature: errorSignatureV2(pushed),
          error_type: 'AttributeError',
          language: 'py',
          working_code: 'xs.append(1)',
          success_count: 1,
          total_attempts: 1,
          first_success: '2025-01-12T15:30:00',
          last_used: '2025-01-12T15:30:00',
          signature_version: 2,
          error_message: pushed.message,
        },
      ]),
    );
    expect(
      (await lib.lookupCandidates({ ...pushed, message: "'list' object has no attribute 'push'" })).map(
        (f) => f.fix_id,
      ),
    ).toEqual([errorSignatureV2(pushed)]);

    // A fix without a stored message is aliased when it works under the new signature.
    const other = { language: 'javascript', type: 'TypeError', message: 'words.contains is not a function' };
    await lib.saveSuccess({
      signature: errorSignatureV2(other),
      errorType: 'TypeError',
      language: 'javascript',
      description: 'includes',
      workingCode: 'words.includes(w)',
      attempts: 1,
      projectName: 'first',
      source: 'llm',
    });
    const [found] = await lib.lookupCandidates(other);
    expect(found?.fix_id).toBe(errorSignatureV2(other));
    await lib.saveSuccess({
      fixId: found?.fix_id as string,
      signature: errorSignature(other),
      errorType: 'TypeError',
      language: 'javascript',
      description: 'reused',
      workingCode: '',
      attempts: 1,
      projectName: 'second',
      source: 'library',
    });
    const renamed = { ...other, message: 's.contains is not a function' };
    expect((await lib.lookupCandidates(renamed)).map((f) => f.fix_id)).toEqual([errorSignatureV2(other)]);
  });

  it('finds a fix saved under the version 1 signature', async () => {
    const lib = library();
    const v1 = errorSignatureV1(error);
    await lib.saveSuccess({
      signature: v1,
      errorType: 'NameError',
      language: 'python',
      description: 'old',
      workingCode: WORKING,
      attempts: 1,
      projectName: 'old',
      source: 'llm',
    });
    expect((await lib.lookupCandidates(error)).map((c) => c.fix_id)).toEqual([v1]);
    expect(await lib.lookup(SIG)).toBeUndefined();
    // An alias offers it under the current signature as well.
    expect(await lib.addAlias(v1, SIG)).toBe(true);
    expect((await lib.lookup(SIG))?.fix_id).toBe(v1);
  });

  it('deletes a signature with its candidates, index entries and counters', async () => {
    const lib = library();
    await save(lib, 'a');
    await save(lib, 'b', { workingCode: 'from PIL import Image\n' });
    for (const u of ['1', '2', '3']) await lib.recordFailure(SIG, u);
    expect(await stats()).toMatchObject({ 'fixes:total': '2', 'fixes:demoted': '1' });
    expect(await lib.delete('nope')).toBe(0);
    expect(await lib.delete(SIG)).toBe(2);
    expect(await stats()).toMatchObject({ 'fixes:total': '0', 'fixes:demoted': '0' });
    expect(await lib.get(SIG)).toBeUndefined();
    expect(await lib.list({ language: 'python', errorType: 'NameError' }, 10)).toEqual({
      items: [],
      total: 0,
    });
    expect(await lib.lookupCandidates(error)).toEqual([]);
    const { redis, prefix } = redisFx.current;
    expect(await keysWithPrefix(redis, `${prefix}:fix`)).toEqual([]);
  });

  it('pages newest first with a cursor, however many fixes share a timestamp', async () => {
    const { redis, prefix } = redisFx.current;
    const at = new Date('2025-01-12T14:35:00Z');
    const lib = new FixLibrary(redis, prefix, () => at);
    for (let i = 0; i < 7; i++) {
      await lib.saveSuccess({
        signature: `sig${i}`,
        errorType: 'E',
        language: 'js',
        description: '',
        workingCode: `x${i}`,
        attempts: 1,
        projectName: 'p',
        source: 'llm',
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await lib.list({ language: 'javascript' }, 3, cursor);
      expect(page.total).toBe(7);
      seen.push(...page.items.map((f) => f.fix_id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['sig6', 'sig5', 'sig4', 'sig3', 'sig2', 'sig1', 'sig0']);
    await expect(lib.list({}, 3, 'garbage')).rejects.toMatchObject({ code: 'invalid_cursor' });
  });
});

describe('import and export', () => {
  const seedRecord = {
    error_signature: 'a1b2c3d4e5f6',
    error_type: 'NameError',
    language: 'py',
    fix_description: 'Fixed NameError in py (Attempt #6)',
    working_code: 'from PIL import Image\n',
    success_count: 23,
    total_attempts: 29,
    used_by_projects: ['image_resizer_20250112_143500', 'thumbs_20250113_090000'],
    first_success: '2025-01-12T14:40:00.123456',
    last_used: '2025-02-01T08:00:00',
  };

  it('round-trips every field through export and import into an empty prefix', async () => {
    const lib = library();
    await save(lib, 'a');
    await save(lib, 'b', { workingCode: 'from PIL import Image\n' });
    await lib.recordFailure(SIG, 'x:1');
    await importFixes(lib, parseFixRecords([seedRecord]));
    const exported = await exportFixes(lib);
    expect(exported).toHaveLength(3);

    const other = await createRedisFixture();
    try {
      const target = new FixLibrary(other.redis, other.prefix);
      const parsed = parseFixRecords(JSON.parse(JSON.stringify(exported)));
      expect(await importFixes(target, parsed)).toEqual({ added: 3, merged: 0, skipped: 0 });
      // Everything survives, but what was proven there is imported here (see FixView.provenance), and
      // its counters, outcomes and projects there are its imported history here, not its counters.
      const asImported = exported.map((r) => ({
        ...r,
        provenance: 'imported',
        success_count: 0,
        total_attempts: 0,
        failure_count: 0,
        recent_outcomes: '',
        used_by_projects: [],
        imported: {
          success_count: r.success_count + (r.imported?.success_count ?? 0),
          total_attempts: r.total_attempts + (r.imported?.total_attempts ?? 0),
          failure_count: (r.failure_count ?? 0) + (r.imported?.failure_count ?? 0),
          recent_outcomes: `${r.imported?.recent_outcomes ?? ''}${r.recent_outcomes ?? ''}`.slice(-10),
          used_by_projects: [
            ...new Set([...(r.imported?.used_by_projects ?? []), ...r.used_by_projects]),
          ].sort(),
        },
      }));
      expect(await exportFixes(target)).toEqual(asImported);
      const [a, b] = [await lib.get(SIG), await target.get(SIG)];
      expect(b).toEqual({
        ...a,
        provenance: 'imported',
        local_success_count: 0,
        success_count: 0,
        total_attempts: 0,
        failure_count: 0,
        recent_outcomes: '',
        used_by_projects: [],
        imported: {
          success_count: a?.success_count,
          total_attempts: a?.total_attempts,
          failure_count: a?.failure_count,
          recent_outcomes: a?.recent_outcomes,
          used_by_projects: a?.used_by_projects,
        },
      });
      expect(await other.redis.hget(keys(other.prefix).stats, 'fixes:total')).toBe('3');
      // A second import of the same file adds nothing.
      expect(await importFixes(target, parsed)).toEqual({ added: 0, merged: 0, skipped: 3 });
    } finally {
      await other.cleanup();
    }
  });

  it('reads seed records (short language names, naive times) and merges a known signature', async () => {
    const lib = library();
    expect(await importFixes(lib, parseFixRecords([seedRecord]))).toEqual({
      added: 1,
      merged: 0,
      skipped: 0,
    });
    expect(await lib.get('a1b2c3d4e5f6')).toMatchObject({
      language: 'python',
      signature_version: 0,
      fix_source: 'import',
      first_success: '2025-01-12T14:40:00.123Z',
    });
    const more = {
      ...seedRecord,
      success_count: 2,
      total_attempts: 2,
      used_by_projects: ['thumbs_20250113_090000', 'new_one'],
      first_success: '2025-01-10T00:00:00Z',
      last_used: '2025-01-20T00:00:00Z',
    };
    expect(await importFixes(lib, parseFixRecords([more]))).toEqual({ added: 0, merged: 1, skipped: 0 });
    expect(await lib.get('a1b2c3d4e5f6')).toMatchObject({
      success_count: 0,
      total_attempts: 0,
      used_by_projects: [],
      imported: {
        success_count: 25,
        total_attempts: 31,
        failure_count: 0,
        recent_outcomes: '',
        used_by_projects: ['image_resizer_20250112_143500', 'new_one', 'thumbs_20250113_090000'],
      },
      first_success: '2025-01-10T00:00:00.000Z',
      last_used: '2025-02-01T08:00:00.000Z',
    });
    expect((await lib.list({}, 5)).items.map((f) => f.fix_id)).toEqual(['a1b2c3d4e5f6']);
  });

  it("an imported fix's counters start at zero: its history is shown, and neither ranks it, spares it demotion, nor stops a project here from counting", async () => {
    const lib = library();
    const boasted = `${SIG}.boasted`;
    const modest = `${SIG}.modest`;
    const record = (fixId: string, extra: Record<string, unknown>) => ({
      error_signature: SIG,
      fix_id: fixId,
      error_type: 'NameError',
      language: 'py',
      working_code: `from PIL import Image  # ${fixId}\n`,
      success_count: 0,
      total_attempts: 0,
      first_success: '2025-01-12T15:30:00',
      last_used: '2025-01-12T15:30:00',
      ...extra,
    });
    await importFixes(
      lib,
      parseFixRecords([
        // Claims 500 successes, a perfect record, and the project that will use it here.
        record(boasted, {
          success_count: 500,
          total_attempts: 500,
          recent_outcomes: '1111111111',
          used_by_projects: ['here'],
        }),
        record(modest, { success_count: 1, total_attempts: 1, failure_count: 3, recent_outcomes: '0001' }),
      ]),
    );
    expect(await lib.get(boasted)).toMatchObject({
      success_count: 0,
      total_attempts: 0,
      failure_count: 0,
      recent_outcomes: '',
      used_by_projects: [],
      demoted: false,
      imported: {
        success_count: 500,
        total_attempts: 500,
        failure_count: 0,
        recent_outcomes: '1111111111',
        used_by_projects: ['here'],
      },
    });
    // Both unproven here: they rank the same, whatever they claim (ties keep the index order).
    const ranks = await redisFx.current.redis.zrange(
      keys(redisFx.current.prefix).fixCandidates(SIG),
      0,
      -1,
      'WITHSCORES',
    );
    expect(ranks).toEqual([boasted, '0.5', modest, '0.5']);

    // A project named in the imported list still counts when the fix works for it here.
    const here = await lib.saveSuccess({
      fixId: boasted,
      signature: SIG,
      errorType: 'NameError',
      language: 'python',
      description: 'reused',
      workingCode: '',
      attempts: 1,
      projectName: 'here',
      source: 'library',
    });
    expect(here.saved).toBe(true);
    expect(await lib.get(boasted)).toMatchObject({
      success_count: 1,
      local_success_count: 1,
      used_by_projects: ['here'],
    });

    // Failing here demotes it on its own record, not padded by the imported outcomes.
    for (const use of ['a:1', 'b:1', 'c:1', 'd:1']) await lib.recordFailure(boasted, use);
    expect(await lib.get(boasted)).toMatchObject({ recent_outcomes: '10000', demoted: true });
    expect((await lib.lookupCandidates(error)).map((f) => f.fix_id)).toEqual([modest]);
  });

  it('names the first bad record and field, and imports nothing', () => {
    const bad = [seedRecord, { ...seedRecord, success_count: -1 }, { ...seedRecord, language: 'cobol' }];
    expect(() => parseFixRecords(bad)).toThrow(
      new InvalidFixRecordError(1, 'success_count', 'Too small: expected number to be >=0'),
    );
    expect(() => parseFixRecords({})).toThrow(InvalidFixRecordError);
    expect(legacyFixRecordSchema.safeParse({ ...seedRecord, language: 'cobol' }).success).toBe(false);
  });
});
