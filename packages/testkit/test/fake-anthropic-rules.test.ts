import Anthropic, { AnthropicError, APIError, BadRequestError, NotFoundError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../src/fake-anthropic.js';
import type { FakeAnthropic } from '../src/fake-anthropic-types.js';

/** SDK 1.13 no longer types the sampling parameters; the API still receives (and judges) them. */
type Params = Anthropic.MessageCreateParamsNonStreaming & {
  temperature?: number;
  top_p?: number;
  top_k?: number;
};

const tool = {
  name: 'report_analysis',
  description: 'Report the analysis.',
  input_schema: {
    type: 'object' as const,
    properties: { confidence: { type: 'number' }, diagnosis: { type: 'string' }, plan: { type: 'string' } },
    required: ['confidence', 'diagnosis', 'plan'],
  },
};
const answer = { confidence: 0.5, diagnosis: 'missing import', plan: 'import it' };

/** What the client sends the default model: one tool, auto choice, an accepted effort. */
const accepted = (model = 'claude-sonnet-5-5'): Params => ({
  model,
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'Project: demo\nLanguage: python' }],
  tools: [tool],
  tool_choice: { type: 'auto' },
  output_config: { effort: 'high' },
});

const prefill: Anthropic.MessageParam[] = [
  { role: 'user', content: 'Project: demo' },
  { role: 'assistant', content: '{"confidence":' },
];

/** Each setting the default model is documented to refuse, and the words its 400 must name. */
const REFUSED: [string, Partial<Params>, RegExp][] = [
  [
    'forced tool choice (tool)',
    { tool_choice: { type: 'tool', name: tool.name } },
    /tool_choice\.type: "tool".*forced tool use/,
  ],
  ['forced tool choice (any)', { tool_choice: { type: 'any' } }, /tool_choice\.type: "any".*forced tool use/],
  ['a non-default temperature', { temperature: 0.2 }, /`temperature` is deprecated/],
  ['temperature even at its default', { temperature: 1 }, /`temperature` is deprecated/],
  ['top_p', { top_p: 0.9 }, /`top_p` is deprecated/],
  ['top_k', { top_k: 40 }, /`top_k` is deprecated/],
  ['assistant prefill', { messages: prefill }, /does not support assistant message prefill/],
  [
    'a thinking budget',
    { thinking: { type: 'enabled', budget_tokens: 2048 } },
    /"thinking\.type\.enabled" is not supported for this model/,
  ],
  [
    'disabled thinking',
    { thinking: { type: 'disabled' } },
    /"thinking\.type\.disabled" is not supported.*between_tools/,
  ],
  [
    'between_tools at xhigh effort',
    { thinking: { type: 'between_tools' }, output_config: { effort: 'xhigh' } },
    /"thinking\.type\.between_tools" is not supported with output_config\.effort "xhigh"/,
  ],
  [
    'an effort the model does not have',
    { output_config: { effort: 'extreme' as 'high' } },
    /output_config\.effort: "extreme" is not supported/,
  ],
  ['max_tokens above the output limit', { max_tokens: 128_001 }, /max_tokens: 128001 > 128000/],
];

describe('the fake applies the documented rules of the request model', () => {
  let fake: FakeAnthropic;
  let client: Anthropic;

  /**
   * Sends a request the way the client does (streamed when max_tokens is past the SDK's non-streaming
   * limit) and returns the error it raised.
   */
  async function refusal(params: Params): Promise<APIError> {
    try {
      if (params.max_tokens > 21_333) await client.messages.stream(params).finalMessage();
      else await client.messages.create(params);
    } catch (error) {
      if (error instanceof APIError) return error;
      throw error;
    }
    throw new Error('the request was accepted');
  }

  const create = (params: Params) => client.messages.create(params);

  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKey: 'test' });
    client = new Anthropic({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it.each(REFUSED)('claude-sonnet-5-5 refuses %s with a 400 naming it', async (_name, change, message) => {
    fake.enqueue(tool.name, { tool: answer });

    const bad = await refusal({ ...accepted(), ...change });

    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad.status).toBe(400);
    expect(bad.apiMessage).toMatch(message);
    expect(bad.error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringMatching(message) },
      request_id: bad.requestID,
    });
    expect(bad.requestID).toMatch(/^req_/);
    // A refused request is recorded but does not use up the scripted answer.
    expect(fake.requests).toHaveLength(1);
    await expect(client.messages.create(accepted())).resolves.toMatchObject({ stop_reason: 'tool_use' });
    expect(fake.callsFor(tool.name)).toHaveLength(2);
  });

  it('refuses a strict tool schema outside the strict subset, naming the keyword and where', async () => {
    const strict = (input_schema: Record<string, unknown>): Params => ({
      ...accepted(),
      tools: [{ ...tool, strict: true, input_schema: { type: 'object', ...input_schema } }],
    });
    const open = await refusal(strict({ properties: { code: { type: 'string' } } }));
    const bounded = await refusal(
      strict({ additionalProperties: false, properties: { code: { type: 'string', minLength: 1 } } }),
    );
    const ranged = await refusal(
      strict({
        additionalProperties: false,
        properties: { files: { type: 'array', minItems: 2, items: { type: 'string' } } },
      }),
    );

    expect(open.apiMessage).toMatch(
      /strict tool use does not support an object without "additionalProperties": false at \//,
    );
    expect(bounded.apiMessage).toMatch(/"minLength" at \/properties\/code/);
    expect(ranged.apiMessage).toMatch(/"minItems": 2 at \/properties\/files/);
    // The same schema without strict is the model's business, not a 400.
    await expect(
      client.messages.create({
        ...accepted(),
        tools: [
          {
            ...tool,
            input_schema: { type: 'object', properties: { code: { type: 'string', minLength: 1 } } },
          },
        ],
      }),
    ).resolves.toMatchObject({ stop_reason: 'tool_use' });
    const kept = {
      type: 'object',
      additionalProperties: false,
      required: ['files'],
      properties: {
        files: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            properties: {
              path: { type: 'string', description: 'Relative path.' },
              kind: { enum: ['a', 'b'] },
            },
          },
        },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
    };
    await expect(client.messages.create(strict(kept))).resolves.toMatchObject({ stop_reason: 'tool_use' });
  });

  it('answers an accepted default-model request with a thinking block, then the tool call', async () => {
    fake.enqueue(tool.name, { tool: answer }, { tool: answer });

    const thinking = await client.messages.create(accepted());
    const upFrontOff = await client.messages.create({ ...accepted(), thinking: { type: 'between_tools' } });

    expect(thinking.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
    const [block, call] = thinking.content;
    // display "omitted" is the default: no thinking text, only the signature to pass back.
    expect(block).toMatchObject({
      type: 'thinking',
      thinking: '',
      signature: expect.stringMatching(/.{40}/),
    });
    expect(call).toMatchObject({ type: 'tool_use', name: tool.name, input: answer });
    expect(thinking.stop_reason).toBe('tool_use');
    expect(upFrontOff.content.map((b) => b.type)).toEqual(['tool_use']);
    // The thinking is billed as output.
    expect(thinking.usage.output_tokens).toBeGreaterThan(upFrontOff.usage.output_tokens + 50);
  });

  it('returns summarized thinking text when the request asks for it', async () => {
    const message = await client.messages.create({
      ...accepted(),
      thinking: { type: 'adaptive', display: 'summarized' },
    });

    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: expect.stringMatching(/\w+/) });
  });

  it('answers 404 not_found_error for a model id the API does not have', async () => {
    const error = await client.messages.create(accepted('claude-sonnet-9')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'model: claude-sonnet-9' },
    });
  });

  it('holds claude-opus-5-5 to always-on thinking, with the documented message', async () => {
    const opus = accepted('claude-opus-5-5');

    const disabled = await refusal({ ...opus, thinking: { type: 'disabled' } });
    const budget = await refusal({ ...opus, thinking: { type: 'enabled', budget_tokens: 2048 } });
    const betweenTools = await refusal({ ...opus, thinking: { type: 'between_tools' } });
    const forced = await refusal({ ...opus, tool_choice: { type: 'any' } });

    // The two messages the Opus 5.5 page quotes.
    expect(disabled.apiMessage).toBe(
      '"thinking.type.disabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
    );
    expect(budget.apiMessage).toBe(
      '"thinking.type.enabled" is not supported for this model. Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.',
    );
    expect(betweenTools.apiMessage).toMatch(
      /"thinking\.type\.between_tools" is not supported for this model/,
    );
    expect(forced.apiMessage).toMatch(/forced tool use/);
    await expect(client.messages.create(opus)).resolves.toMatchObject({ stop_reason: 'tool_use' });
  });

  it('lets claude-opus-5 disable thinking at high effort but not above', async () => {
    const off = { ...accepted('claude-opus-5'), thinking: { type: 'disabled' as const } };

    const high = await client.messages.create(off);
    const max = await refusal({ ...off, output_config: { effort: 'max' } });

    expect(high.content.map((b) => b.type)).toEqual(['tool_use']);
    expect(max.apiMessage).toMatch(/"thinking\.type\.disabled" is only supported .* up to "high"/);
  });

  it('lets claude-sonnet-5 force the tool (without thinking before it) but not take a budget', async () => {
    const forced = await client.messages.create({
      ...accepted('claude-sonnet-5'),
      tool_choice: { type: 'tool', name: tool.name },
    });
    const budget = await refusal({
      ...accepted('claude-sonnet-5'),
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    const sampled = await refusal({ ...accepted('claude-sonnet-5'), temperature: 0.2 });

    expect(forced.content.map((b) => b.type)).toEqual(['tool_use']);
    expect(budget.apiMessage).toMatch(/"thinking\.type\.enabled" is not supported/);
    expect(sampled.apiMessage).toMatch(/`temperature` is deprecated/);
    // Sonnet 5 refuses only non-default sampling values.
    await expect(create({ ...accepted('claude-sonnet-5'), temperature: 1 })).resolves.toBeTruthy();
  });

  it('lets the older claude-sonnet-4-5 take forced tool choice, sampling and prefill', async () => {
    const { output_config: _effort, ...old } = accepted('claude-sonnet-4-5');
    fake.enqueue(tool.name, { tool: answer });

    const message = await create({
      ...old,
      tool_choice: { type: 'tool', name: tool.name },
      temperature: 0.2,
      messages: prefill,
    });

    expect(message.content).toEqual([expect.objectContaining({ type: 'tool_use', input: answer })]);
    expect(fake.requests[0]?.toolName).toBe(tool.name);
    // Its own documented limits still apply.
    const both = await refusal({ ...old, temperature: 0.2, top_p: 0.9 });
    const thinkingForced = await refusal({
      ...old,
      tool_choice: { type: 'any' },
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });
    const effort = await refusal(accepted('claude-sonnet-4-5'));
    const adaptive = await refusal({ ...old, thinking: { type: 'adaptive' } });
    const long = await refusal({ ...old, max_tokens: 64_001 });

    expect(both.apiMessage).toMatch(/temperature and top_p cannot both be specified/);
    expect(thinkingForced.apiMessage).toMatch(/Thinking may not be enabled when tool_choice forces tool use/);
    expect(effort.apiMessage).toMatch(/claude-sonnet-4-5 does not support the effort parameter/);
    expect(adaptive.apiMessage).toMatch(/"thinking\.type\.adaptive" is not supported for this model/);
    expect(long.apiMessage).toMatch(/max_tokens: 64001 > 64000/);
  });

  it('answers with an extended-thinking block on the older model when the request sets a budget', async () => {
    const { output_config: _effort, ...old } = accepted('claude-sonnet-4-5');

    const message = await client.messages.create({
      ...old,
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
    });

    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);
  });

  it('caches prefixes from each model’s documented minimum', async () => {
    // About 700 estimated tokens: above Sonnet 5.5's 512, below Sonnet 4.5's 1,024.
    const system: Anthropic.TextBlockParam[] = [
      { type: 'text', text: 'x'.repeat(2_800), cache_control: { type: 'ephemeral' } },
    ];
    const { output_config: _effort, ...old } = accepted('claude-sonnet-4-5');

    const current = await client.messages.create({ ...accepted(), system });
    const older = await client.messages.create({ ...old, system });

    expect(current.usage.cache_creation_input_tokens).toBeGreaterThan(600);
    expect(older.usage.cache_creation_input_tokens).toBe(0);
  });

  it('leaves a non-streaming request with a large max_tokens to the SDK, which refuses it unsent', async () => {
    // The SDK throws synchronously, before any request.
    let error: unknown;
    try {
      await client.messages.create({ ...accepted(), max_tokens: 64_000 });
    } catch (e) {
      error = e;
    }
    const streamed = await client.messages.stream({ ...accepted(), max_tokens: 64_000 }).finalMessage();

    expect(error).toBeInstanceOf(AnthropicError);
    expect(String(error)).toMatch(/Streaming is required/);
    expect(streamed.stop_reason).toBe('tool_use');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body.stream).toBe(true);
  });
});
