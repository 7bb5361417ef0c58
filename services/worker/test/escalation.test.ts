import { errorSignature, FixLibrary } from '@hardfix/core';
import { type FakeRequest, globEscape, scanKeys, writeFilesAnswer } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';
import { BROKEN_AREA, FIXED_AREA, FIXED_AREA_BLOCK, stillBroken } from './programs.js';

describe('escalation pipeline', () => {
  const startHarness = harnessPerTest();

  it('broken twice then fixed: delivered after 3 generation calls, spaced by the interval, no analysis', async () => {
    const h = await startHarness({ RETRY_INTERVAL_MS: '400' });
    const times: number[] = [];
    h.fake.setHandler((req) => {
      if (req.toolName !== 'write_files') return undefined;
      times.push(Date.now());
      return times.length < 3 ? writeFilesAnswer([BROKEN_AREA]) : writeFilesAnswer([FIXED_AREA]);
    });
    const { body } = await h.post('/projects', {
      name: 'circle',
      language: 'python',
      prompt: 'area of a circle',
    });
    const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review']);

    expect(project.status).toBe('delivered');
    expect(h.fake.callsFor('write_files')).toHaveLength(3);
    expect(h.fake.callsFor('report_analysis')).toHaveLength(0);
    expect(project.attempts.map((a) => [a.stage, a.n, a.outcome])).toEqual([
      ['generation', 1, 'failed'],
      ['generation', 2, 'failed'],
      ['generation', 3, 'passed'],
    ]);
    expect(project.attempts[0]?.error).toMatchObject({
      type: 'NameError',
      message: "name 'PI' is not defined",
    });
    expect(project.attempts[0]?.error?.signature).toMatch(/^[0-9a-f]{32}$/);
    const [t1, t2, t3] = times as [number, number, number];
    expect(t2 - t1).toBeGreaterThanOrEqual(400);
    expect(t3 - t2).toBeGreaterThanOrEqual(400);
  });

  it('with a Redis Cluster style prefix ({…}): retried, hard-fixed, the fix saved and reused', async () => {
    const h = await startHarness({}, { braced: true });
    expect(h.env.QUEUE_PREFIX).toMatch(/^\{.+\}$/);
    h.fake.enqueue(
      'write_files',
      writeFilesAnswer([BROKEN_AREA]),
      writeFilesAnswer([BROKEN_AREA]),
      writeFilesAnswer([BROKEN_AREA]),
    );
    h.fake.enqueue('report_analysis', { tool: { confidence: 0.2, diagnosis: 'unclear', plan: 'unclear' } });
    h.fake.enqueue('replace_block', { tool: { code: FIXED_AREA_BLOCK } });
    const { body } = await h.post('/projects', {
      name: 'braced',
      language: 'python',
      prompt: 'area of a circle',
    });
    const first = await h.waitForStatus(body.id as string, ['delivered', 'manual-review']);
    expect(first.attempts.at(-1)).toMatchObject({ stage: 'hard-fix', outcome: 'passed' });
    const second = await h.importProject('braced-two', 'python', [BROKEN_AREA]);
    expect(await h.waitForStatus(second, ['delivered', 'manual-review'])).toMatchObject({
      status: 'delivered',
    });
    const status = await h.get('/status');
    expect(status.body).toMatchObject({
      projects: { delivered: 2 },
      hardFix: { librarySize: 1, reuseRate: 0.5 },
    });
    const keys = await scanKeys(h.redis.redis, `*${globEscape(h.redis.prefix)}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !k.startsWith(h?.env.QUEUE_PREFIX ?? '?'))).toEqual([]);
  });

  it('broken 3 times, confidence 0.9: one analysis call, delivered by the smart retry (attempt 4)', async () => {
    const h = await startHarness();
    h.fake.enqueue(
      'write_files',
      writeFilesAnswer([BROKEN_AREA]),
      writeFilesAnswer([BROKEN_AREA]),
      writeFilesAnswer([BROKEN_AREA]),
      writeFilesAnswer([FIXED_AREA]),
    );
    h.fake.enqueue('report_analysis', {
      tool: { confidence: 0.9, diagnosis: 'PI is never defined', plan: 'import math and use math.pi' },
    });
    const { body } = await h.post('/projects', {
      name: 'circle',
      language: 'python',
      prompt: 'area of a circle',
    });
    const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review', 'hard-fix']);

    expect(project.status).toBe('delivered');
    expect(h.fake.callsFor('report_analysis')).toHaveLength(1);
    expect(h.fake.callsFor('write_files')).toHaveLength(4);
    expect(project.attempts.at(-1)).toMatchObject({ stage: 'smart-retry', n: 1, outcome: 'passed' });
    expect(project.analysis).toMatchObject({ confidence: 0.9, plan: 'import math and use math.pi' });
    const view = await h.get(`/projects/${body.id}`);
    expect(view.body.analysis).toEqual({
      confidence: 0.9,
      diagnosis: 'PI is never defined',
      plan: 'import math and use math.pi',
    });
    // The analysis saw every failed attempt's error and code; the smart retry carried the plan.
    const analysis = h.fake.callsFor('report_analysis')[0] as FakeRequest;
    expect(analysis.userText).toContain("name 'PI' is not defined");
    expect(analysis.userText).toContain('return PI * r * r');
    expect(h.fake.callsFor('write_files')[3]?.userText).toContain('import math and use math.pi');
  });

  it('broken 3 times, confidence 0.3: no fourth generation call, straight to hard fix', async () => {
    const h = await startHarness();
    h.fake.enqueue(
      'write_files',
      writeFilesAnswer([BROKEN_AREA]),
      writeFilesAnswer([BROKEN_AREA]),
      writeFilesAnswer([BROKEN_AREA]),
    );
    h.fake.enqueue('report_analysis', { tool: { confidence: 0.3, diagnosis: 'unclear', plan: 'unclear' } });
    h.fake.enqueue('replace_block', { tool: { code: FIXED_AREA_BLOCK } });
    const { body } = await h.post('/projects', {
      name: 'circle',
      language: 'python',
      prompt: 'area of a circle',
    });
    const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review']);

    expect(h.fake.callsFor('write_files')).toHaveLength(3);
    expect(h.fake.callsFor('report_analysis')).toHaveLength(1);
    expect(project.attempts.some((a) => a.stage === 'smart-retry')).toBe(false);
    expect(project.status).toBe('delivered');
    expect(project.attempts.at(-1)).toMatchObject({
      stage: 'hard-fix',
      n: 1,
      outcome: 'passed',
      fixSource: 'llm',
    });
  });

  it('hard fix works on its 3rd candidate, saves the fix, and the next project is repaired from the library', async () => {
    const h = await startHarness();
    h.fake.enqueue(
      'replace_block',
      { tool: { code: stillBroken(1) } },
      { tool: { code: stillBroken(2) } },
      { tool: { code: FIXED_AREA_BLOCK } },
    );
    const first = await h.importProject('circle-one', 'python', [BROKEN_AREA]);
    const p1 = await h.waitForStatus(first, ['delivered', 'manual-review']);

    expect(p1.status).toBe('delivered');
    expect(p1.attempts.map((a) => [a.stage, a.n, a.outcome, a.strategy])).toEqual([
      ['import', 1, 'failed', undefined],
      ['hard-fix', 1, 'failed', 'conservative'],
      ['hard-fix', 2, 'failed', 'conservative'],
      ['hard-fix', 3, 'passed', 'conservative'],
    ]);
    const signature = errorSignature({
      language: 'python',
      type: 'NameError',
      message: "name 'PI' is not defined",
    });
    const library = new FixLibrary(h.redis.redis, h.env.QUEUE_PREFIX);
    expect(await library.get(signature)).toMatchObject({
      error_type: 'NameError',
      language: 'python',
      success_count: 1,
      total_attempts: 3,
      used_by_projects: ['circle-one'],
      working_code: FIXED_AREA_BLOCK,
      fix_description: 'Fixed NameError in python (Attempt #3)',
    });
    // The third prompt listed the two candidates that had failed.
    const third = h.fake.callsFor('replace_block')[2] as FakeRequest;
    expect(third.userText).toContain('PI_1');
    expect(third.userText).toContain('PI_2');

    const llmCalls = h.fake.requests.length;
    const second = await h.importProject('circle-two', 'python', [BROKEN_AREA]);
    const p2 = await h.waitForStatus(second, ['delivered', 'manual-review']);
    expect(p2.status).toBe('delivered');
    expect(h.fake.requests.length).toBe(llmCalls);
    expect(p2.usage.calls).toBe(0);
    // The library is consulted at the first failure: the import attempt itself is repaired.
    expect(p2.attempts).toMatchObject([
      { stage: 'import', n: 1, outcome: 'passed', fixSource: 'library', error: { type: 'NameError' } },
    ]);
    expect(await library.get(signature)).toMatchObject({
      success_count: 2,
      used_by_projects: ['circle-one', 'circle-two'],
    });
  });

  it('a project whose candidates never work gets exactly HARD_FIX_MAX_ATTEMPTS calls; with 8 all four tiers run, then manual review', async () => {
    const h = await startHarness({ RETRY_INTERVAL_MS: '10', HARD_FIX_MAX_ATTEMPTS: '8' });
    let i = 0;
    h.fake.setHandler((req) =>
      req.toolName === 'replace_block' ? { tool: { code: stillBroken(++i) } } : undefined,
    );
    const id = await h.importProject('never', 'python', [BROKEN_AREA]);
    const project = await h.waitForStatus(id, ['manual-review', 'delivered'], 90_000);

    expect(project.status).toBe('manual-review');
    const calls = h.fake.callsFor('replace_block');
    expect(calls).toHaveLength(8);
    // Quarters of the maximum (core's flow table): two attempts per tier.
    const tiers = ['conservative', 'moderate', 'aggressive', 'nuclear'];
    const tierOf = (n: number) => tiers[Math.floor((n - 1) / 2)];
    calls.forEach((call, index) => {
      const n = index + 1;
      const first = n % 2 === 1 ? n : n - 1;
      expect(call.userText).toContain(
        `## Strategy: ${tierOf(n)} (hard-fix attempt ${n}; ${tierOf(n)} covers attempts ${first}-${first + 1})`,
      );
    });
    const hardFix = project.attempts.filter((a) => a.stage === 'hard-fix');
    expect(hardFix.map((a) => a.strategy)).toEqual(Array.from({ length: 8 }, (_, n) => tierOf(n + 1)));
    const inReview = await h.store.list('manual-review', 10);
    expect(inReview.items.map((p) => p.id)).toEqual([id]);
  });

  it('a candidate identical to an earlier one is not run again and counts as a failed attempt', async () => {
    const h = await startHarness({ HARD_FIX_MAX_ATTEMPTS: '3', RETRY_INTERVAL_MS: '10' });
    h.fake.enqueue(
      'replace_block',
      { tool: { code: stillBroken(1) } },
      { tool: { code: `${stillBroken(1)}\n` } },
      { tool: { code: FIXED_AREA_BLOCK } },
    );
    const id = await h.importProject('dupe', 'python', [BROKEN_AREA]);
    const project = await h.waitForStatus(id, ['delivered', 'manual-review']);
    expect(project.status).toBe('delivered');
    expect(project.attempts.find((a) => a.stage === 'hard-fix' && a.n === 2)).toMatchObject({
      outcome: 'failed',
      error: { type: 'DuplicateCandidate' },
    });
  });

  it('an answer that fails the tool schema is a failed attempt with a clear error', async () => {
    const h = await startHarness();
    h.fake.enqueue('write_files', { toolRaw: { files: 'not a list' } }, writeFilesAnswer([FIXED_AREA]));
    const { body } = await h.post('/projects', {
      name: 'schema',
      language: 'python',
      prompt: 'area of a circle',
    });
    const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review']);
    expect(project.status).toBe('delivered');
    expect(project.attempts[0]).toMatchObject({
      n: 1,
      outcome: 'failed',
      error: { type: 'InvalidModelAnswer' },
    });
    expect(project.attempts[0]?.error?.message).toContain('files');
    expect(project.usage.calls).toBe(2);
  });

  it('429s, in the SDK and then at the queue, never consume an attempt', async () => {
    const h = await startHarness();
    const tooMany = { status: 429 as const, retryAfterMs: 30 };
    // Two 429s are absorbed by the SDK's own retries; five outlast them and go back to the queue.
    h.fake.enqueue(
      'write_files',
      tooMany,
      tooMany,
      tooMany,
      tooMany,
      tooMany,
      writeFilesAnswer([FIXED_AREA]),
    );
    const { body } = await h.post('/projects', {
      name: 'limited',
      language: 'python',
      prompt: 'area of a circle',
    });
    const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review']);
    expect(project.status).toBe('delivered');
    expect(h.fake.callsFor('write_files')).toHaveLength(6);
    expect(project.attempts).toMatchObject([{ stage: 'generation', n: 1, outcome: 'passed' }]);
    expect(project.usage.calls).toBe(1);
  });

  it('an infinite loop is killed and recorded as a timeout while the worker keeps serving', async () => {
    const h = await startHarness({ VERIFY_TIMEOUT_MS: '1500', NORMAL_RETRIES: '1' });
    h.fake.setHandler((req) => {
      if (req.toolName !== 'write_files') return undefined;
      return req.projectName === 'looper'
        ? writeFilesAnswer([{ path: 'main.py', content: 'while True:\n    pass\n' }])
        : writeFilesAnswer([FIXED_AREA]);
    });
    const looper = await h.post('/projects', { name: 'looper', language: 'python', prompt: 'loop' });
    const fine = await h.post('/projects', { name: 'fine', language: 'python', prompt: 'area' });
    const ok = await h.waitForStatus(fine.body.id as string, ['delivered']);
    expect(ok.status).toBe('delivered');
    const deadline = Date.now() + 20_000;
    for (;;) {
      const p = await h.store.mustGet(looper.body.id as string);
      const first = p.attempts[0];
      if (first) {
        expect(first).toMatchObject({ n: 1, outcome: 'failed', error: { type: 'Timeout' } });
        break;
      }
      if (Date.now() > deadline) throw new Error('the looping attempt was never recorded');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
