import Anthropic, { APIConnectionTimeoutError, AuthenticationError, RateLimitError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../src/fake-anthropic.js';
import type { FakeAnthropic } from '../src/fake-anthropic-types.js';

const tool = {
  name: 'report_analysis',
  description: 'Report the analysis.',
  input_schema: {
    type: 'object' as const,
    properties: { confidence: { type: 'number' }, diagnosis: { type: 'string' }, plan: { type: 'string' } },
    required: ['confidence', 'diagnosis', 'plan'],
    additionalProperties: false,
  },
};

/** A request the default model accepts: one tool under auto choice, up-front thinking off. */
function ask(client: Anthropic, user = 'Project: demo\nLanguage: python\n\n## Request\nsay hi') {
  return client.messages.create({
    model: 'claude-sonnet-5-5',
    max_tokens: 512,
    system: 'You analyse failures.',
    messages: [{ role: 'user', content: user }],
    tools: [{ ...tool, strict: true }],
    tool_choice: { type: 'auto' },
    thinking: { type: 'between_tools' },
    output_config: { effort: 'medium' },
  });
}

describe('fake Anthropic Messages API with the real SDK', () => {
  let fake: FakeAnthropic;
  let client: Anthropic;
  beforeEach(async () => {
    fake = await startFakeAnthropic({ apiKey: 'test' });
    client = new Anthropic({ apiKey: 'test', baseURL: fake.url, maxRetries: 2 });
  });
  afterEach(() => fake.close());

  it('round-trips a tool_use answer with usage and records the request under its one tool', async () => {
    const input = { confidence: 0.4, diagnosis: 'missing import', plan: 'import it' };
    fake.enqueue('report_analysis', { tool: input });

    const message = await ask(client);

    expect(message.type).toBe('message');
    expect(message.stop_reason).toBe('tool_use');
    expect(message.model).toBe('claude-sonnet-5-5');
    const block = message.content[0];
    expect(block?.type).toBe('tool_use');
    if (block?.type !== 'tool_use') throw new Error('expected tool_use');
    expect(block.name).toBe('report_analysis');
    expect(block.input).toEqual(input);
    expect(message.usage.input_tokens).toBeGreaterThan(10);
    expect(message.usage.output_tokens).toBeGreaterThan(5);

    expect(fake.requests).toHaveLength(1);
    const recorded = fake.callsFor('report_analysis')[0];
    expect(recorded?.toolName).toBe('report_analysis');
    expect(recorded?.system).toBe('You analyse failures.');
    expect(recorded?.projectName).toBe('demo');
    expect(recorded?.language).toBe('python');
    expect(recorded?.body.tool_choice).toEqual({ type: 'auto' });
    expect(recorded?.headers.authorization).toBeUndefined();
    expect(recorded?.headers['anthropic-version']).toBeTruthy();
  });

  it('keys scripts on the one tool offered (auto choice), the forced tool, or none of two', async () => {
    const other = { ...tool, name: 'write_files' };
    const older = new Anthropic({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
    const base = {
      model: 'claude-sonnet-4-5',
      max_tokens: 256,
      messages: [{ role: 'user' as const, content: 'hi' }],
    };

    await ask(client);
    await older.messages.create({
      ...base,
      tools: [tool, other],
      tool_choice: { type: 'tool', name: 'write_files' },
    });
    await older.messages.create({ ...base, tools: [tool, other], tool_choice: { type: 'auto' } });

    expect(fake.requests.map((r) => r.toolName)).toEqual(['report_analysis', 'write_files', undefined]);
  });

  it('answers 429 with a rate_limit_error the SDK retries, then succeeds (two requests)', async () => {
    fake.enqueue(
      'report_analysis',
      { status: 429, retryAfterMs: 5 },
      {
        tool: { confidence: 1, diagnosis: 'd', plan: 'p' },
      },
    );

    const message = await ask(client);

    expect(message.content[0]).toMatchObject({ type: 'tool_use', input: { confidence: 1 } });
    expect(fake.requests).toHaveLength(2);
    // The SDK numbers its retries; the second request is the retry of the first.
    expect(fake.requests[1]?.headers['x-stainless-retry-count']).toBe('1');
  });

  it('gives rate-limit errors the Anthropic error shape and retry-after headers', async () => {
    fake.enqueue('report_analysis', { status: 429, retryAfterSeconds: 7, shouldRetry: false });

    const error = await ask(client).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RateLimitError);
    const rate = error as RateLimitError;
    expect(rate.headers.get('retry-after')).toBe('7');
    expect(rate.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects a wrong API key with a 401 authentication_error and does not record it', async () => {
    const wrong = new Anthropic({ apiKey: 'nope', baseURL: fake.url, maxRetries: 0 });

    const error = await ask(wrong).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).error).toMatchObject({ error: { type: 'authentication_error' } });
    expect(fake.requests).toHaveLength(0);
  });

  it('uses the handler when nothing is queued, and the simulated Claude when the handler passes', async () => {
    fake.setHandler((req) =>
      req.projectName === 'scripted' ? { tool: { confidence: 0.1, diagnosis: 'h', plan: 'h' } } : undefined,
    );

    const scripted = await ask(client, 'Project: scripted\nLanguage: java');
    const simulated = await ask(client, 'Project: other\nLanguage: java');

    expect(scripted.content[0]).toMatchObject({ input: { confidence: 0.1 } });
    expect(simulated.content[0]).toMatchObject({ input: { confidence: 0.9 } });
  });

  it('answers with a text block or an off-contract input when told to', async () => {
    fake.enqueue('report_analysis', { text: 'I would rather chat.' }, { toolRaw: { confidence: 'high' } });

    const text = await ask(client);
    const raw = await ask(client);

    expect(text.content).toEqual([{ type: 'text', text: 'I would rather chat.' }]);
    expect(text.stop_reason).toBe('end_turn');
    expect(raw.content[0]).toMatchObject({ type: 'tool_use', input: { confidence: 'high' } });
  });

  it('refuses a scripted `tool` reply that breaks the contract schema, without retries', async () => {
    fake.enqueue('report_analysis', { tool: { confidence: 'high' } });

    const error = await ask(client).catch((e: unknown) => e);

    expect(String(error)).toMatch(/breaks the contract/);
    expect(fake.requests).toHaveLength(1);
  });

  it('delays an answer past the client timeout', async () => {
    fake.enqueue('report_analysis', {
      delayMs: 2_000,
      // biome-ignore lint/suspicious/noThenProperty: the fake's delayed-reply shape
      then: { tool: { confidence: 1, diagnosis: 'd', plan: 'p' } },
    });
    const impatient = new Anthropic({ apiKey: 'test', baseURL: fake.url, maxRetries: 0, timeout: 100 });

    const error = await ask(impatient).catch((e: unknown) => e);

    // Timed out rather than answered: the reply was held past the client's 100 ms.
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('answers 400 to a request without messages', async () => {
    const response = await fetch(`${fake.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'test', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 5, messages: [] }),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });
});
