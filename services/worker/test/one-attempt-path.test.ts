import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Attempt } from '@hardfix/contracts';
import { FixLibrary, MANIFEST_FILE, type Manifest } from '@hardfix/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { BROKEN_AREA, FIXED_AREA, FIXED_AREA_BLOCK, stillBroken } from './programs.js';

/** What differs between two runs of the same thing: when it happened and how long it took. */
function steady(manifest: Manifest) {
  const { deliveredAt: _at, projectId: _id, attempts: _attempts, verification, ...rest } = manifest;
  const { durationMs: _d, steps, ...result } = verification;
  return { ...rest, verification: { ...result, steps: steps.map(({ durationMs: _s, ...step }) => step) } };
}

async function deliveredWith(h: Harness, id: string) {
  const project = await h.store.mustGet(id);
  const attempt = project.attempts.at(-1) as Attempt;
  const path = project.delivery?.path ?? '';
  const manifest = JSON.parse(await readFile(join(path, MANIFEST_FILE), 'utf8')) as Manifest;
  const signature = attempt.fixSignature ?? '';
  const fix = await new FixLibrary(h.redis.redis, h.env.QUEUE_PREFIX).get(signature);
  return { project, attempt, manifest, fix, main: await readFile(join(path, 'main.py'), 'utf8') };
}

describe('manual resolve and worker attempts share one implementation', () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });

  it('a hard-fix success and a reviewer’s fix of the same mistake record, save and deliver alike', async () => {
    const env = { HARD_FIX_MAX_ATTEMPTS: '1', RETRY_INTERVAL_MS: '10' };
    // The same project twice, each under a prefix of its own: hard fix repairs one, a reviewer the other.
    const byWorker = await startHarness(env);
    harnesses.push(byWorker);
    byWorker.fake.enqueue('replace_block', { tool: { code: FIXED_AREA_BLOCK } });
    const repaired = await byWorker.importProject('area', 'python', [BROKEN_AREA]);
    expect(await byWorker.waitForStatus(repaired, ['delivered', 'manual-review'])).toMatchObject({
      status: 'delivered',
    });

    const byReviewer = await startHarness(env);
    harnesses.push(byReviewer);
    byReviewer.fake.enqueue('replace_block', { tool: { code: stillBroken(1) } });
    const resolved = await byReviewer.importProject('area', 'python', [BROKEN_AREA]);
    await byReviewer.waitForStatus(resolved, ['manual-review']);
    const answer = await byReviewer.post(`/review/${resolved}/resolve`, { files: [FIXED_AREA] });
    expect(answer).toMatchObject({ status: 200, body: { id: resolved, status: 'delivered' } });

    const w = await deliveredWith(byWorker, repaired);
    const m = await deliveredWith(byReviewer, resolved);
    expect(m.main).toBe(w.main);

    // The attempt record: the same fields, told apart only by stage and source (a reviewer has no tier,
    // and was shown no block).
    const { strategy, shown, ...workerAttempt } = w.attempt;
    expect(strategy).toBe('conservative');
    expect(shown?.file).toBe('main.py');
    expect(m.attempt).toEqual({ ...workerAttempt, stage: 'manual', fixSource: 'manual', at: m.attempt.at });
    expect(m.attempt.fixSignature).toMatch(/^[0-9a-f]{32}$/);

    // The library save: the same fix under the same signature, told apart only by its source.
    expect(w.fix).toMatchObject({ fix_source: 'llm', used_by_projects: ['area'] });
    expect(m.fix).toEqual({
      ...w.fix,
      fix_source: 'manual',
      fix_description: w.fix?.fix_description.replace('(Attempt #1)', '(manual review)'),
      first_success: m.fix?.first_success,
      last_used: m.fix?.last_used,
      fix_id: m.fix?.fix_id,
    });

    // The delivery: the same manifest (the same verified files, by hash), with each project's own history.
    expect(steady(m.manifest)).toEqual(steady(w.manifest));
    expect(m.manifest.filesSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.manifest.attempts).toEqual(m.project.attempts);
    expect(w.manifest.attempts).toEqual(w.project.attempts);
  });
});
