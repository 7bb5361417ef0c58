import { TOOLS } from '@hardfix/contracts';
import { createLogger } from '@hardfix/core';
import { type FakeAnthropic, startFakeAnthropic } from '@hardfix/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicClient } from '../src/anthropic-client.js';
import type { LlmClient } from '../src/llm-client.js';
import { analysisPrompt } from '../src/prompts/analysis-prompt.js';
import { generationPrompt } from '../src/prompts/generation-prompt.js';
import { hardFixPrompt } from '../src/prompts/hard-fix-prompt.js';

// The demo works only if the simulated Claude understands these prompts; this pins the shared format.
describe('prompts understood by the simulated Claude', () => {
  let fake: FakeAnthropic;
  let llm: LlmClient;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
    llm = createAnthropicClient({
      apiKey: 'k',
      baseURL: fake.url,
      model: 'claude-sonnet-5-5',
      logger: createLogger('silent'),
    });
  });
  afterAll(() => fake.close());

  it.each([
    ['python', 'main.py'],
    ['javascript', 'index.js'],
    ['java', 'Main.java'],
  ] as const)('generation in %s yields %s derived from the request', async (language, path) => {
    const prompt = generationPrompt({ name: 'greeter', language, request: 'Print a friendly greeting' });

    const { input } = await llm.callTool({ tool: TOOLS.writeFiles, ...prompt });

    expect(input.files).toHaveLength(1);
    expect(input.files[0]?.path).toBe(path);
    expect(input.files[0]?.content).toContain('greeter: simulated program for: Print a friendly greeting');
    expect(fake.requests.at(-1)).toMatchObject({ projectName: 'greeter', language });
  });

  it('analysis yields confidence 0.9', async () => {
    const prompt = analysisPrompt({ name: 'a', language: 'python', request: 'r', attempts: [] });

    const { input } = await llm.callTool({ tool: TOOLS.reportAnalysis, ...prompt });

    expect(input.confidence).toBe(0.9);
  });

  it('hard fix gets the block back unchanged', async () => {
    const code = 'def f():\n\n    return g(  # unbalanced';
    const prompt = hardFixPrompt({
      name: 'h',
      language: 'python',
      tier: 'moderate',
      tierAttempts: '6-10',
      attemptNumber: 7,
      error: { type: 'SyntaxError', message: 'x' },
      block: { file: 'main.py', startLine: 98, endLine: 100, code },
      previousCandidates: [],
    });

    const { input } = await llm.callTool({ tool: TOOLS.replaceBlock, ...prompt });

    expect(input.code).toBe(code);
  });
});
