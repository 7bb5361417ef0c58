import { TOOLS, toolInputJsonSchema } from '@hardfix/contracts';
import { createLogger } from '@hardfix/core';
import { type FakeAnthropic, startFakeAnthropic } from '@hardfix/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnthropicClientOptions, createAnthropicClient } from '../src/anthropic-client.js';
import {
  LlmAuthError,
  LlmInvalidAnswerError,
  LlmNotConfiguredError,
  LlmRequestError,
  LlmTransientError,
} from '../src/errors.js';
import { NotConfiguredLlmClient } from '../src/not-configured-client.js';

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

  it('forces the tool and returns its validated input, usage and model', async () => {
    fake.enqueue('report_analysis', { tool: analysis });

    const result = await client().callTool({
      tool: TOOLS.reportAnalysis,
      system: 'You analyse.',
      user: 'Project: resizer\nLanguage: python',
      maxTokens: 1234,
    });

    expect(result.input).toEqual(analysis);
    expect(result.model).toBe('claude-sonnet-5-5');
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    const [request] = fake.callsFor('report_analysis');
    expect(request?.body).toMatchObject({
      model: 'claude-sonnet-5-5',
      max_tokens: 1234,
      system: [{ type: 'text', text: 'You analyse.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'Project: resizer\nLanguage: python' }],
      tool_choice: { type: 'tool', name: 'report_analysis' },
      tools: [
        {
          name: 'report_analysis',
          description: TOOLS.reportAnalysis.description,
          input_schema: toolInputJsonSchema(TOOLS.reportAnalysis.schema),
        },
      ],
    });
    expect(request?.body.thinking).toBeUndefined();
  });

  it('prompt caching: system and context carry cache_control; a repeat reads the prefix from the cache', async () => {
    const cachedFake = await startFakeAnthropic({ apiKey: 'test-key', cacheMinTokens: 100 });
    try {
      const llm = client({ baseURL: cachedFake.url });
      const call = (attempt: number) =>
        llm.callTool({
          tool: TOOLS.reportAnalysis,
          system: 'You analyse.',
          context: `Project: p\nLanguage: python\n\n## Request\n${'Sum the numbers. '.repeat(60)}`,
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
        context: `Project: p\nLanguage: python\n\n## Request\n${'Sum the numbers. '.repeat(60)}`,
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

  it('rejects a text answer and a call of another tool as invalid answers', async () => {
    fake.enqueue(
      'report_analysis',
      { text: 'Here is my analysis in prose.' },
      {
        toolRaw: { code: 'x' },
        name: 'replace_block',
      },
    );

    const text = await failure(analyse());
    const wrongTool = await failure(analyse());

    expect(text).toBeInstanceOf(LlmInvalidAnswerError);
    expect((text as Error).message).toMatch(/no tool call.*Here is my analysis/);
    expect((text as LlmInvalidAnswerError).usage.outputTokens).toBeGreaterThan(0);
    expect(wrongTool).toBeInstanceOf(LlmInvalidAnswerError);
    expect((wrongTool as Error).message).toMatch(/called tool "replace_block" instead/);
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

    const started = Date.now();
    const error = await failure(analyse(client({ maxRetries: 2, maxRetryWaitMs: 10_000 })));

    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 30_000 });
    // The SDK did not sleep 30 s in-process: the queue is left to wait.
    expect(fake.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
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

    const started = Date.now();
    const error = await failure(analyse(client({ timeoutMs: 150, maxRetries: 1 })));

    expect(error).toBeInstanceOf(LlmTransientError);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_500);
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
