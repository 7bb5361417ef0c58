import { errorSignature, FixLibrary } from '@hardfix/core';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';
import { BROKEN_AREA, FIXED_AREA, stillBroken } from './programs.js';

describe('manual review, end to end', () => {
  const startHarness = harnessPerTest();

  it('exhausted → listed → retry with a fresh budget → resolve (422, then 200) → abandon another', async () => {
    const h = await startHarness({ HARD_FIX_MAX_ATTEMPTS: '2', RETRY_INTERVAL_MS: '10' });
    const harness = h;
    let i = 0;
    harness.fake.setHandler((req) =>
      req.toolName === 'replace_block' ? { tool: { code: stillBroken(++i) } } : undefined,
    );
    const id = await harness.importProject('stubborn', 'python', [BROKEN_AREA]);
    const other = await harness.importProject('hopeless', 'python', [BROKEN_AREA]);
    await harness.waitForStatus(id, ['manual-review']);
    await harness.waitForStatus(other, ['manual-review']);

    const review = await harness.get('/review');
    expect(review.status).toBe(200);
    const items = review.body.items as { id: string; attempts: number; lastError: { type: string } }[];
    expect(items.map((item) => item.id).sort()).toEqual([id, other].sort());
    expect(items.find((item) => item.id === id)).toMatchObject({
      attempts: 3,
      lastError: { type: 'NameError' },
    });

    // A fresh budget: two more attempts, counted from conservative again (two attempts span the tiers:
    // conservative, then aggressive; see core's flow table).
    expect((await harness.post(`/review/${id}/retry`, {})).status).toBe(202);
    const again = await harness
      .waitForStatus(id, ['manual-review'], 60_000)
      .then(async (p) =>
        p.attempts.filter((a) => a.stage === 'hard-fix').length === 4
          ? p
          : harness.waitForStatus(id, ['manual-review']),
      );
    const round2 = again.attempts.filter((a) => a.stage === 'hard-fix' && a.n > 2);
    expect(round2.map((a) => [a.n, a.strategy, a.outcome])).toEqual([
      [3, 'conservative', 'failed'],
      [4, 'aggressive', 'failed'],
    ]);

    const broken = await harness.post(`/review/${id}/resolve`, { files: [BROKEN_AREA] });
    expect(broken.status).toBe(422);
    expect(broken.body).toMatchObject({ error: 'verification_failed' });
    expect(String(broken.body.message)).toContain('NameError');
    expect((await harness.store.mustGet(id)).status).toBe('manual-review');

    const fixed = await harness.post(`/review/${id}/resolve`, { files: [FIXED_AREA] });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ id, status: 'delivered' });
    const library = new FixLibrary(harness.redis.redis, harness.env.QUEUE_PREFIX);
    const fix = await library.get(
      errorSignature({ language: 'python', type: 'NameError', message: "name 'PI' is not defined" }),
    );
    // Saved under the mistake hard fix started from, as the change from the original block.
    expect(fix).toMatchObject({
      fix_source: 'manual',
      used_by_projects: ['stubborn'],
      original_code: BROKEN_AREA.content.trimEnd(),
      working_code: FIXED_AREA.content.trimEnd(),
    });
    expect((await harness.post(`/review/${id}/resolve`, { files: [FIXED_AREA] })).status).toBe(409);

    const abandoned = await harness.post(`/review/${other}/abandon`, { reason: 'needs a person' });
    expect(abandoned.status).toBe(200);
    expect(await harness.store.mustGet(other)).toMatchObject({
      status: 'abandoned',
      abandonReason: 'needs a person',
    });
    expect((await harness.get('/review')).body.items).toEqual([]);
  });
});
