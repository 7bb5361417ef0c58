import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { type FakeAnthropic, startFakeAnthropic } from '@hardfix/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** `pnpm llm:check` as an operator runs it: its own process, configured through the environment. */
function llmCheck(env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts/llm-check.ts')],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code =
          err && typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 0;
        resolve({ code, out: `${stdout}${stderr}` });
      },
    );
  });
}

// Each case starts tsx in a child process: seconds on a busy two-core machine.
describe('pnpm llm:check against the faithful test server', { timeout: 90_000 }, () => {
  let fake: FakeAnthropic;
  beforeEach(async () => {
    fake = await startFakeAnthropic({ apiKey: 'check-key' });
  });
  afterEach(() => fake.close());

  it("the default model accepts every stage's request: exit 0, one line per stage with tokens and cost", async () => {
    const { code, out } = await llmCheck({ ANTHROPIC_API_KEY: 'check-key', ANTHROPIC_BASE_URL: fake.url });

    expect(out).toContain('Model: claude-sonnet-5-5');
    for (const stage of ['generation', 'analysis', 'hard-fix (conservative)', 'hard-fix (nuclear)'])
      expect(out).toMatch(
        new RegExp(`^ok {6}${stage.replace(/[()]/g, '\\$&')}: accepted \\[tool_choice auto`, 'm'),
      );
    expect(out).toContain('thinking between_tools, effort low');
    expect(out).toMatch(/Estimated cost of this check: \$0\.\d{5}/);
    expect(code).toBe(0);
    // Capped: no call may ask for more than the check's limit.
    expect(fake.requests.every((r) => Number(r.body.max_tokens) <= 4_000)).toBe(true);
    expect(fake.requests).toHaveLength(4);
  });

  it('an answer in prose is reported with its shape, and the check fails', async () => {
    fake.enqueue('report_analysis', { text: 'I think it is a typo.' });

    const { code, out } = await llmCheck({ ANTHROPIC_API_KEY: 'check-key', ANTHROPIC_BASE_URL: fake.url });

    expect(out).toMatch(/^ANSWER {2}analysis: accepted .*unusable answer \(prose\)/m);
    expect(code).toBe(1);
  });

  it("a model the API does not know: every request refused with the API's message, exit 1", async () => {
    const { code, out } = await llmCheck({
      ANTHROPIC_API_KEY: 'check-key',
      ANTHROPIC_BASE_URL: fake.url,
      LLM_MODEL: 'claude-nova-9',
    });

    expect(out).toContain('NOT in the model table');
    expect(out).toMatch(/^REFUSED generation: .*LlmRequestError: Anthropic API 404/m);
    expect(code).toBe(1);
  });

  it('without a key it says what to set and exits 2', async () => {
    const { code, out } = await llmCheck({});

    expect(out).toContain('ANTHROPIC_API_KEY is not set');
    expect(code).toBe(2);
  });
});
