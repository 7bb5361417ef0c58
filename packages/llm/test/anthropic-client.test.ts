import { TOOLS, toolInputJsonSchema } from '@hardfix/contracts';
import { createLogger } from '@hardfix/core';
import { type FakeAnthropic, startFakeAnthropic } from '@hardfix/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnthropicClientOptions, createAnthropicClient } from '../src/anthropic-client.js';
import {
  LlmAuthError,
  LlmInvalidAnswerError,
  LlmNoAnswerError,
  LlmNotConfiguredError,
  LlmRequestError,
  LlmSpendLimitError,
  LlmTransientError,
} from '../src/errors.js';
import { NotConfiguredLlmClient } from '../src/not-configured-client.js';
import { strictSchema } from '../src/request-shape.js';

const logger = createLogger('silent');
const analysis = { confidence: 0.8, diagnosis: 'missing import of Image', plan: 'import it from PIL' };

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  );
}

describe('Anthropic LLM client against the fake Messages API (real SDK)', () => {
  let fake: FakeAnthropic;
  const client = (overrides: Partial<AnthropicClientOptions> = {}) =>
    createAnthropicClient({
      apiKey: 'test-key',
      baseURL: fake.url,
      model: 'claude-sonnet-5-5',
      logger,
      ...overrides,
    });
  const analyse = (llm = client()) =>
    llm.callTool({ tool: TOOLS.reportAnalysis, system: 'sys', user: 'Project: p\nLanguage: python' });

  beforeEach(async () => {
    fake = await startFakeAnthropic({ apiKey: 'test-key' });
  });
  afterEach(() => fake.close());

  it('asks the default model with auto tool choice and a strict tool, and reads the call after its thinking', async () => {
    fake.enqueue('report_analysis', { tool: analysis });

    const result = await client().callTool({
      tool: TOOLS.reportAnalysis,
      system: 'You analyse.',
      user: 'Project: resizer\nLanguage: python',
      maxTokens: 1234,
      reasoning: { effort: 'high', think: true },
    });

    expect(result.input).toEqual(analysis);
    expect(result.model).toBe('claude-sonnet-5-5');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    const [request] = fake.callsFor('report_analysis');
    expect(request?.body).toMatchObject({
      model: 'claude-sonnet-5-5',
      max_tokens: 1234,
      stream: true,
      system: [{ type: 'text', text: 'You analyse.', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Project: resizer\nLanguage: python' },
            { type: 'text', text: expect.stringContaining('calling the report_analysis tool') },
          ],
        },
      ],
      tool_choice: { type: 'auto' },
      output_config: { effort: 'high' },
      tools: [
        {
          name: 'report_analysis',
          description: TOOLS.reportAnalysis.description,
          input_schema: strictSchema(toolInputJsonSchema(TOOLS.reportAnalysis.schema)),
          strict: true,
        },
      ],
    });
    // Adaptive thinking stays on (nothing sent), so the fake's answer began with a thinking block.
    expect(request?.body.thinking).toBeUndefined();
  });

  it('turns up-front thinking off with between_tools where the stage asks for no thinking', async () => {
    fake.enqueue('replace_block', { tool: { code: 'x = 1' } });

    await client().callTool({
      tool: TOOLS.replaceBlock,
      system: 's',
      user: 'u',
      reasoning: { effort: 'low', think: false },
    });

    expect(fake.callsFor('replace_block')[0]?.body).toMatchObject({
      thinking: { type: 'between_tools' },
      output_config: { effort: 'low' },
      tool_choice: { type: 'auto' },
    });
  });

  it('forces the tool on an older model that accepts it, when it is not thinking', async () => {
    fake.enqueue('replace_block', { tool: { code: 'x = 1' } });

    const result = await client({ model: 'claude-sonnet-5' }).callTool({
      tool: TOOLS.replaceBlock,
      system: 's',
      user: 'u',
      reasoning: { effort: 'low', think: false },
    });

    expect(result.input).toEqual({ code: 'x = 1' });
    expect(fake.callsFor('replace_block')[0]?.body).toMatchObject({
      model: 'claude-sonnet-5',
      thinking: { type: 'disabled' },
      tool_choice: { type: 'tool', name: 'replace_block' },
    });
  });

  it('asks again after a prose-only answer, with a nudge, and sums the usage of both', async () => {
    fake.enqueue('report_analysis', { text: 'Here is my analysis in prose.' }, { tool: analysis });

    const result = await analyse();

    expect(result.input).toEqual(analysis);
    const calls = fake.callsFor('report_analysis');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.userText).toContain('Your previous answer gave no report_analysis call');
    expect(calls[0]?.userText).not.toContain('Your previous answer');
    expect(result.usage.outputTokens).toBeGreaterThan(10);
  });

  it('asks again with twice the room after an answer cut off at max_tokens', async () => {
    fake.enqueue('report_analysis', { truncated: analysis }, { tool: analysis });

    const result = await client().callTool({
      tool: TOOLS.reportAnalysis,
      system: 's',
      user: 'u',
      maxTokens: 3000,
    });

    expect(result.input).toEqual(analysis);
    const calls = fake.callsFor('report_analysis');
    expect(calls.map((c) => c.body.max_tokens)).toEqual([3000, 6000]);
    expect(calls[1]?.userText).toContain('was cut off at the output limit');
  });

  it('gives up with LlmNoAnswerError after three answers with no usable call, usage included', async () => {
    fake.setHandler(() => ({ text: 'I would rather explain.' }));

    const error = await failure(analyse());

    expect(error).toBeInstanceOf(LlmNoAnswerError);
    expect(error).toMatchObject({ code: 'llm_no_answer', kind: 'prose', model: 'claude-sonnet-5-5' });
    expect((error as Error).message).toMatch(/no usable report_analysis call in 3 answers/);
    expect((error as LlmNoAnswerError).usage.outputTokens).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(3);
  });

  it("a refusal is LlmNoAnswerError kind refusal with the model's reason, or goes to the fallback model", async () => {
    fake.enqueue('report_analysis', { refusal: true, category: 'cyber', explanation: 'not this' });
    const refused = await failure(analyse());
    expect(refused).toBeInstanceOf(LlmNoAnswerError);
    expect(refused).toMatchObject({ kind: 'refusal' });
    expect((refused as Error).message).toMatch(/refused to answer.*cyber: not this/);
    expect(fake.requests).toHaveLength(1);

    fake.reset();
    fake.enqueue('report_analysis', { refusal: true }, { tool: analysis });
    const result = await analyse(client({ fallbackModel: 'claude-opus-5-5' }));
    expect(result.input).toEqual(analysis);
    expect(result.model).toBe('claude-opus-5-5');
    expect(fake.requests.map((r) => r.body.model)).toEqual(['claude-sonnet-5-5', 'claude-opus-5-5']);
  });

  it('a spend-limit 429 is LlmSpendLimitError at once: the SDK does not retry it', async () => {
    fake.setHandler(() => ({
      status: 429,
      errorCode: 'enforced_spend_limit_reached',
      message: 'You have reached your API usage limits.',
    }));

    const error = await failure(analyse(client({ maxRetries: 2 })));

    expect(error).toBeInstanceOf(LlmSpendLimitError);
    expect((error as Error).message).toMatch(/enforced_spend_limit_reached/);
    expect(fake.requests).toHaveLength(1);
  });

  it('an unknown model id is asked with the strictest request and its 404 is LlmRequestError', async () => {
    const error = await failure(analyse(client({ model: 'claude-nova-9' })));

    expect(error).toBeInstanceOf(LlmRequestError);
    expect(fake.requests[0]?.body).toMatchObject({ tool_choice: { type: 'auto' } });
    expect(fake.requests[0]?.body).not.toHaveProperty('output_config');
  });

  it('prompt caching: system and context carry cache_control; a repeat reads the prefix from the cache', async () => {
    const cachedFake = await startFakeAnthropic({ apiKey: 'test-key', cacheMinTokens: 100 });
    try {
      const llm = client({ baseURL: cachedFake.url });
      const call = (attempt: number) =>
        llm.callTool({
          tool: TOOLS.reportAnalysis,
          system: 'You analyse.',
          context: `Project: p\nLanguage: python\n\n## Request\n${'Sum the numbers. '.repeat(200)}`,
          user: `Attempt ${attempt}`,
        });
      const first = await call(1);
      const second = await call(2);
      const [body] = cachedFake.requests.map((r) => r.body);
      expect(body?.messages).toEqual([
        {
          role: 'user',
          content: [
            {
              type: 'text',
              text: expect.stringContaining('## Request'),
              cache_control: { type: 'ephemeral' },
            },
            { type: 'text', text: 'Attempt 1' },
            { type: 'text', text: expect.stringContaining('calling the report_analysis tool') },
          ],
        },
      ]);
      expect(first.usage.cacheWriteTokens).toBeGreaterThan(200);
      expect(first.usage.cacheReadTokens).toBe(0);
      expect(second.usage).toMatchObject({
        cacheWriteTokens: 0,
        cacheReadTokens: first.usage.cacheWriteTokens,
      });
      expect(second.usage.inputTokens).toBeLessThan(first.usage.cacheWriteTokens / 4);

      const uncached = await client({ baseURL: cachedFake.url, promptCaching: false }).callTool({
        tool: TOOLS.reportAnalysis,
        system: 'You analyse.',
        context: `Project: p\nLanguage: python\n\n## Request\n${'Sum the numbers. '.repeat(200)}`,
        user: 'Attempt 3',
      });
      expect(JSON.stringify(cachedFake.requests.at(-1)?.body)).not.toContain('cache_control');
      expect(uncached.usage).toMatchObject({ cacheWriteTokens: 0, cacheReadTokens: 0 });
      expect(uncached.usage.inputTokens).toBeGreaterThan(first.usage.cacheWriteTokens);
    } finally {
      await cachedFake.close();
    }
  });

  it('rejects input that fails the schema with LlmInvalidAnswerError naming the field, with usage', async () => {
    fake.enqueue('report_analysis', { toolRaw: { confidence: 3, diagnosis: 'd', plan: 'p' } });

    const error = await failure(analyse());

    expect(error).toBeInstanceOf(LlmInvalidAnswerError);
    const invalid = error as LlmInvalidAnswerError;
    expect(invalid.code).toBe('llm_invalid_answer');
    expect(invalid.message).toMatch(/confidence/);
    expect(invalid.fields).toEqual(['confidence']);
    expect(invalid.usage.inputTokens).toBeGreaterThan(0);
    expect(invalid.usage.outputTokens).toBeGreaterThan(0);
  });

  it('names nested fields of write_files that fail the schema', async () => {
    fake.enqueue('write_files', { toolRaw: { files: [{ path: '../escape.py', content: 'x' }] } });

    const error = await failure(client().callTool({ tool: TOOLS.writeFiles, system: 's', user: 'u' }));

    expect(error).toBeInstanceOf(LlmInvalidAnswerError);
    expect((error as LlmInvalidAnswerError).message).toMatch(
      /files\.0\.path: must not contain a "\.\." segment/,
    );
  });

  it('succeeds after two 429s because the SDK retries them', async () => {
    fake.enqueue(
      'report_analysis',
      { status: 429, retryAfterMs: 5 },
      { status: 429, retryAfterMs: 5 },
      { tool: analysis },
    );

    const result = await analyse();

    expect(result.input).toEqual(analysis);
    expect(fake.callsFor('report_analysis')).toHaveLength(3);
  });

  it('turns persistent 529 overload into LlmTransientError kind overloaded after the SDK retries', async () => {
    fake.setHandler(() => ({ status: 529, retryAfterMs: 5 }));

    const error = await failure(analyse(client({ maxRetries: 2 })));

    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error).toMatchObject({ code: 'llm_transient', kind: 'overloaded', retryAfterMs: 5 });
    expect(fake.requests).toHaveLength(3);
  });

  it('fails at once on a rate limit asking for a long wait, carrying its retry-after', async () => {
    fake.setHandler(() => ({ status: 429, retryAfterSeconds: 30 }));

    const error = await failure(analyse(client({ maxRetries: 2, maxRetryWaitMs: 10_000 })));

    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 30_000 });
    // The SDK did not sleep 30 s in-process: the queue is left to wait.
    expect(fake.requests).toHaveLength(1);
  });

  it('maps a 500 to LlmTransientError kind server', async () => {
    fake.setHandler(() => ({ status: 500, retryAfterMs: 1 }));

    const error = await failure(analyse(client({ maxRetries: 0 })));

    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error).toMatchObject({ kind: 'server' });
  });

  it('maps a wrong key (401) to LlmAuthError without retrying', async () => {
    const error = await failure(analyse(client({ apiKey: 'wrong' })));

    expect(error).toBeInstanceOf(LlmAuthError);
    expect(error).toMatchObject({ code: 'llm_auth', status: 401 });
  });

  it('maps a 403 permission error to LlmAuthError and a 404 to LlmRequestError', async () => {
    fake.enqueue('report_analysis', { status: 403 }, { status: 404, message: 'model: not found' });

    const forbidden = await failure(analyse());
    const notFound = await failure(analyse());

    expect(forbidden).toBeInstanceOf(LlmAuthError);
    expect(notFound).toBeInstanceOf(LlmRequestError);
    expect(notFound).toMatchObject({ code: 'llm_request', status: 404 });
    expect((notFound as Error).message).toMatch(/model: not found/);
  });

  it('turns an answer slower than the timeout into LlmTransientError kind timeout', async () => {
    // biome-ignore lint/suspicious/noThenProperty: the fake's delayed-reply shape
    fake.setHandler(() => ({ delayMs: 3_000, then: { tool: analysis } }));

    const error = await failure(analyse(client({ timeoutMs: 150, maxRetries: 1 })));

    // A timeout, not the answer: the client gave up on it rather than waiting the 3 s.
    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error).toMatchObject({ kind: 'timeout' });
  });

  it('turns a refused connection into LlmTransientError kind connection', async () => {
    const url = fake.url;
    await fake.close();

    const error = await failure(analyse(client({ baseURL: url, maxRetries: 0 })));

    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error).toMatchObject({ kind: 'connection' });
    fake = await startFakeAnthropic();
  });

  it('passes the caller abort through unchanged', async () => {
    // biome-ignore lint/suspicious/noThenProperty: the fake's delayed-reply shape
    fake.setHandler(() => ({ delayMs: 3_000, then: { tool: analysis } }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const error = await failure(
      client().callTool({ tool: TOOLS.reportAnalysis, system: 's', user: 'u', signal: controller.signal }),
    );

    expect(error).not.toBeInstanceOf(LlmTransientError);
    expect((error as Error).name).toMatch(/Abort/);
  });
});

describe('NotConfiguredLlmClient', () => {
  it('is not configured and throws LlmNotConfiguredError on every call', async () => {
    const llm = new NotConfiguredLlmClient();

    expect(llm.configured).toBe(false);
    await expect(llm.callTool({ tool: TOOLS.replaceBlock, system: 's', user: 'u' })).rejects.toBeInstanceOf(
      LlmNotConfiguredError,
    );
  });
});
