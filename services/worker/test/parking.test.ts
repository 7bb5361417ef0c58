import { QUEUES } from '@hardfix/contracts';
import { errorSignature } from '@hardfix/core';
import { describe, expect, it } from 'vitest';
import { type Harness, harnessPerTest, startHarness, waitUntil } from './harness.js';
import { BROKEN_AREA, FIXED_AREA } from './programs.js';

describe('work is parked, not burnt, when the LLM cannot be used', () => {
  const startForTest = harnessPerTest();

  async function parkedProject(harness: Harness, name: string) {
    const { body } = await harness.post('/projects', {
      name,
      language: 'python',
      prompt: 'area of a circle',
    });
    const id = body.id as string;
    const deadline = Date.now() + 20_000;
    for (;;) {
      const p = await harness.store.mustGet(id);
      if (p.parked) return id;
      if (Date.now() > deadline) throw new Error(`project was never parked: ${JSON.stringify(p)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('without an API key: parked with the reason, and no attempt is used while it waits', async () => {
    const h = await startForTest({ ANTHROPIC_API_KEY: '', RETRY_INTERVAL_MS: '50' });
    const id = await parkedProject(h, 'no-key');
    // Several re-checks happen (50, 100, 200 ms apart …); none may consume an attempt.
    await waitUntil(
      async () => ((await h.jobData(QUEUES.generation, id, 1))?.deferrals ?? 0) >= 3,
      'the parked job re-checked three times',
    );
    const project = await h.store.mustGet(id);
    expect(project.parked?.reason).toContain('ANTHROPIC_API_KEY');
    expect(project.attempts).toEqual([]);
    expect(project.status).toBe('generating');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('with a rejected key: parked with the reason the API gave', async () => {
    const h = await startForTest({ ANTHROPIC_API_KEY: 'wrong-key', RETRY_INTERVAL_MS: '50' });
    const id = await parkedProject(h, 'bad-key');
    const project = await h.store.mustGet(id);
    expect(project.parked?.reason).toMatch(/rejected the API key/);
    expect(project.attempts).toEqual([]);
  });

  it('when the API refuses the request (say, an unknown model): parked with the reason', async () => {
    const h = await startForTest({ RETRY_INTERVAL_MS: '50' });
    h.fake.setHandler(() => ({ status: 404, message: 'model: claude-nonexistent' }));
    const id = await parkedProject(h, 'bad-model');
    const project = await h.store.mustGet(id);
    expect(project.parked?.reason).toMatch(/rejected the request \(check LLM_MODEL/);
    expect(project.parked?.reason).toMatch(/model: claude-nonexistent/);
    expect(project.attempts).toEqual([]);
  });

  it('when the model answers in prose only: asked again, then parked; no attempt is used', async () => {
    const h = await startForTest({ RETRY_INTERVAL_MS: '50' });
    h.fake.setHandler(() => ({ text: 'Here is how I would write it.' }));
    const id = await parkedProject(h, 'prose-only');
    const parked = await h.store.mustGet(id);
    expect(parked.parked?.reason).toMatch(/LLM gave no usable answer \(prose\)/);
    expect(parked.attempts).toEqual([]);
    // Asked three times within the one job before parking; the tokens were counted.
    expect(h.fake.requests.length).toBeGreaterThanOrEqual(3);
    expect(parked.usage.calls).toBeGreaterThanOrEqual(1);
    h.fake.setHandler((req) =>
      req.toolName === 'write_files' ? { tool: { files: [FIXED_AREA] } } : undefined,
    );
    const project = await h.waitForStatus(id, ['delivered', 'manual-review'], 20_000);
    expect(project.status).toBe('delivered');
    expect(project.attempts).toHaveLength(1);
  });

  it('an answer cut off at max_tokens is asked again with more room and uses no attempt', async () => {
    const h = await startForTest({ RETRY_INTERVAL_MS: '50' });
    h.fake.enqueue('write_files', { truncated: { files: [FIXED_AREA] } }, { tool: { files: [FIXED_AREA] } });
    const { body } = await h.post('/projects', { name: 'cut-off', language: 'python', prompt: 'area' });
    const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review'], 20_000);
    expect(project.status).toBe('delivered');
    expect(project.attempts).toMatchObject([{ stage: 'generation', n: 1, outcome: 'passed' }]);
    const calls = h.fake.callsFor('write_files');
    expect(calls).toHaveLength(2);
    expect(Number(calls[1]?.body.max_tokens)).toBe(2 * Number(calls[0]?.body.max_tokens));
  });

  it("a refusal parks the project with the model's reason; no attempt is used", async () => {
    const h = await startForTest({ RETRY_INTERVAL_MS: '50' });
    h.fake.setHandler(() => ({ refusal: true, category: 'cyber', explanation: 'looks like malware' }));
    const id = await parkedProject(h, 'refused');
    const project = await h.store.mustGet(id);
    expect(project.parked?.reason).toMatch(/no usable answer \(refusal\).*looks like malware/);
    expect(project.attempts).toEqual([]);
  });

  it('a spend limit pauses every LLM stage: one request, a visible reason, then work resumes', async () => {
    const h = await startForTest({ RETRY_INTERVAL_MS: '50', LLM_SPEND_LIMIT_PAUSE_MS: '2000' });
    h.fake.setHandler(() => ({
      status: 429,
      errorCode: 'enforced_spend_limit_reached',
      message: 'You have reached your API usage limits.',
    }));
    const first = await parkedProject(h, 'spend-a');
    const second = await parkedProject(h, 'spend-b');
    // No retry storm: the SDK did not retry, and the second project waited without asking.
    expect(h.fake.requests).toHaveLength(1);
    for (const id of [first, second]) {
      const p = await h.store.mustGet(id);
      expect(p.parked?.reason).toMatch(/LLM spend limit reached.*enforced_spend_limit_reached/);
      expect(p.attempts).toEqual([]);
    }
    const status = await h.get('/status');
    expect((status.body.llm as { paused: { reason: string } | null }).paused?.reason).toMatch(
      /enforced_spend_limit_reached/,
    );
    const ready = await h.get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.warnings).toEqual([expect.stringMatching(/LLM stages paused until .*spend/)]);
    const metrics = await fetch(`${h.api.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^hardfix_llm_paused 1$/m);

    h.fake.setHandler((req) =>
      req.toolName === 'write_files' ? { tool: { files: [FIXED_AREA] } } : undefined,
    );
    for (const id of [first, second]) {
      const p = await h.waitForStatus(id, ['delivered', 'manual-review'], 20_000);
      expect(p.status).toBe('delivered');
      expect(p.attempts).toHaveLength(1);
    }
    expect((await h.get('/status')).body.llm).toMatchObject({ paused: null });
  });

  it('when the endpoint stalls: parked after LLM_TIMEOUT_MS, then delivered once it answers again', async () => {
    const h = await startForTest({ LLM_TIMEOUT_MS: '300', RETRY_INTERVAL_MS: '50' });
    // biome-ignore lint/suspicious/noThenProperty: the fake's delayed-reply shape
    h.fake.setHandler(() => ({ delayMs: 10_000, then: { tool: { files: [FIXED_AREA] } } }));
    const id = await parkedProject(h, 'stalled-model');
    const parked = await h.store.mustGet(id);
    expect(parked.parked?.reason).toMatch(/LLM unavailable \(timeout\)/);
    expect(parked.attempts).toEqual([]);
    // The SDK's own two retries, each cut at the timeout.
    expect(h.fake.requests.length).toBeGreaterThanOrEqual(3);
    h.fake.setHandler((req) =>
      req.toolName === 'write_project' ? { tool: { files: [FIXED_AREA] } } : undefined,
    );
    const project = await h.waitForStatus(id, ['delivered', 'manual-review'], 20_000);
    expect(project.status).toBe('delivered');
    expect(project.parked).toBeUndefined();
    expect(project.attempts).toHaveLength(1);
  });
});

describe('without an API key, the library still works', () => {
  it('an imported project with a known mistake is repaired from the library and delivered', async () => {
    const h = await startHarness({ ANTHROPIC_API_KEY: '' });
    try {
      const block = BROKEN_AREA.content.trimEnd();
      const fixed = FIXED_AREA.content.trimEnd();
      await h.worker.deps.library.saveSuccess({
        signature: errorSignature({
          language: 'python',
          type: 'NameError',
          message: "name 'PI' is not defined",
        }),
        errorType: 'NameError',
        language: 'python',
        description: 'import math, use math.pi',
        workingCode: fixed,
        originalCode: block,
        attempts: 1,
        projectName: 'earlier',
        source: 'manual',
      });
      const id = await h.importProject('keyless', 'python', [BROKEN_AREA]);
      const project = await h.waitForStatus(id, ['delivered', 'hard-fix', 'manual-review']);
      expect(project.status).toBe('delivered');
      expect(project.attempts).toMatchObject([{ stage: 'import', outcome: 'passed', fixSource: 'library' }]);
      expect(h.fake.requests).toHaveLength(0);
    } finally {
      await h.close();
    }
  });
});

describe('a job that cannot succeed', () => {
  it('fails at once when its project does not exist, instead of retrying for hours', async () => {
    const h = await startHarness();
    try {
      const queue = h.worker.deps.queues.generation;
      await queue.add(
        'generation',
        { projectId: 'no-such-project', n: 1 },
        { jobId: 'generation-no-such-project-1' },
      );
      const deadline = Date.now() + 10_000;
      let state = '';
      while (Date.now() < deadline) {
        state = String(await queue.getJobState('generation-no-such-project-1'));
        if (state === 'failed') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(state).toBe('failed');
      const job = await queue.getJob('generation-no-such-project-1');
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toContain('no-such-project');
    } finally {
      await h.close();
    }
  });
});

describe('a job out of BullMQ retries', () => {
  it('leaves its project parked with the reason and where to act', async () => {
    const h = await startHarness();
    try {
      const created = await h.store.create({
        name: 'corrupt',
        language: 'python',
        status: 'queued',
        stage: 'import',
        files: { files: [BROKEN_AREA] },
      });
      if (!created.created) throw new Error('name taken');
      const id = created.project.id;
      // A record that cannot be read: an error no retry will cure.
      await h.redis.redis.set(`${h.env.QUEUE_PREFIX}:project-files:${id}`, 'not json');
      await h.worker.deps.queues['hard-fix'].add(
        'hard-fix',
        { projectId: id, n: 1 },
        { jobId: `hard-fix-${id}-1`, attempts: 1 },
      );
      // Generous: on a loaded CI machine (the cluster project runs beside the rest) the worker's sandbox
      // self-test alone can take seconds before it takes any job.
      const deadline = Date.now() + 20_000;
      let project = await h.store.mustGet(id);
      while (!project.parked && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        project = await h.store.mustGet(id);
      }
      expect(project.parked?.reason).toMatch(/hard-fix job failed for good .*Bull Board/);
      expect(await h.worker.deps.queues['hard-fix'].getJobState(`hard-fix-${id}-1`)).toBe('failed');
    } finally {
      await h.close();
    }
  }, 60_000);
});
