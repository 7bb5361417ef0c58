import Anthropic, { APIError, BadRequestError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../src/fake-anthropic.js';
import { type FakeAnthropic, type FakeReply, spendLimitReached } from '../src/fake-anthropic-types.js';

const tool = {
  name: 'write_files',
  description: 'Write the files.',
  input_schema: {
    type: 'object' as const,
    properties: { files: { type: 'array' }, notes: { type: 'string' } },
    required: ['files'],
    additionalProperties: false,
  },
};
const files = {
  files: [{ path: 'main.py', content: 'def main():\n    print("hello, world")\n\n\nmain()\n' }],
  notes: 'A greeting.',
};

/** The default model's accepted request (thinking left at its default, so the answer thinks first). */
const params = (max_tokens = 2048): Anthropic.MessageCreateParamsNonStreaming => ({
  model: 'claude-sonnet-5-5',
  max_tokens,
  messages: [{ role: 'user', content: 'Project: demo\nLanguage: python\n\n## Request\nsay hello' }],
  tools: [{ ...tool, strict: true }],
  tool_choice: { type: 'auto' },
  output_config: { effort: 'medium' },
});

const { EnforcedSpendLimitReachedError } = Anthropic;
type EnforcedSpendLimitReachedError = InstanceType<typeof EnforcedSpendLimitReachedError>;

/**
 * Ids and signatures differ per answer; everything else must not. `parsed_output` is the SDK stream
 * helper's own field (null without `output_config.format`), not part of the wire message.
 */
function comparable(message: Anthropic.Message) {
  const { parsed_output: _parsed, ...wire } = message as Anthropic.Message & { parsed_output?: unknown };
  return {
    ...wire,
    id: 'msg',
    content: message.content.map((b) =>
      b.type === 'tool_use' ? { ...b, id: 'toolu' } : b.type === 'thinking' ? { ...b, signature: 'sig' } : b,
    ),
  };
}

async function sseEvents(
  url: string,
  body: unknown,
): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': 'test', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return (await response.text())
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [eventLine, dataLine] = chunk.split('\n');
      return {
        event: String(eventLine).replace(/^event: /, ''),
        data: JSON.parse(String(dataLine).replace(/^data: /, '')),
      };
    });
}

describe('the fake answers stream: true as the Messages API streams', () => {
  let fake: FakeAnthropic;
  let client: Anthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKey: 'test' });
    client = new Anthropic({ apiKey: 'test', baseURL: fake.url, maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends the documented events in order: thinking with its signature, then the tool input as JSON deltas', async () => {
    fake.enqueue(tool.name, { tool: files });

    const events = await sseEvents(fake.url, { ...params(), stream: true });

    const shape = events.map((e) =>
      e.event === 'content_block_delta' ? `delta:${(e.data.delta as { type: string }).type}` : e.event,
    );
    const deltas = shape.filter((s) => s === 'delta:input_json_delta').length;
    expect(deltas).toBeGreaterThan(2);
    expect(shape).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'delta:signature_delta',
      'content_block_stop',
      'content_block_start',
      ...Array(deltas).fill('delta:input_json_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]?.data.message).toMatchObject({ content: [], stop_reason: null, role: 'assistant' });
    expect(events[1]?.data.content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(events[5]?.data.content_block).toMatchObject({ type: 'tool_use', name: tool.name, input: {} });
    const json = events
      .filter((e) => (e.data.delta as { type?: string } | undefined)?.type === 'input_json_delta')
      .map((e) => (e.data.delta as { partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual(files);
    expect(events.at(-2)?.data).toMatchObject({
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: expect.any(Number) },
    });
  });

  const SCRIPTS: [string, FakeReply, Partial<Anthropic.Message>][] = [
    ['a tool call after thinking', { tool: files }, { stop_reason: 'tool_use' }],
    ['a prose-only answer', { text: 'I would write a greeting program.' }, { stop_reason: 'end_turn' }],
    [
      'a refusal',
      { refusal: true, category: 'cyber', text: 'I can’t help with that.' },
      { stop_reason: 'refusal' },
    ],
    ['an answer cut at max_tokens', { truncated: files, keepChars: 40 }, { stop_reason: 'max_tokens' }],
  ];

  it.each(SCRIPTS)(
    'reconstructs %s in finalMessage() exactly as the JSON answer',
    async (_name, reply, expected) => {
      fake.enqueue(tool.name, reply, reply);

      const plain = await client.messages.create(params());
      const streamed = await client.messages.stream(params()).finalMessage();

      expect(plain).toMatchObject(expected);
      expect(comparable(streamed)).toEqual(comparable(plain));
      expect(fake.requests.map((r) => r.body.stream)).toEqual([undefined, true]);
    },
  );

  it('answers in prose without a tool call when scripted to', async () => {
    fake.enqueue(tool.name, { text: 'Here is how I would do it.' });

    const message = await client.messages.stream(params()).finalMessage();

    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(message.content[1]).toEqual({ type: 'text', text: 'Here is how I would do it.' });
    expect(message.stop_reason).toBe('end_turn');
  });

  it('stops at max_tokens mid-JSON: the stream never closes the input, the input keeps what parsed', async () => {
    fake.enqueue(tool.name, { truncated: files, keepChars: 40 });

    const events = await sseEvents(fake.url, { ...params(300), stream: true });
    const json = events
      .filter((e) => (e.data.delta as { type?: string } | undefined)?.type === 'input_json_delta')
      .map((e) => (e.data.delta as { partial_json: string }).partial_json)
      .join('');
    fake.enqueue(tool.name, { truncated: files, keepChars: 40 });
    const message = await client.messages.stream(params(300)).finalMessage();

    expect(json).toBe(JSON.stringify(files).slice(0, 40));
    expect(() => JSON.parse(json)).toThrow();
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(300);
    // The SDK's partial-JSON parser drops the cut string: the file object is left with its path only.
    expect(message.content[1]).toMatchObject({ type: 'tool_use', input: { files: [{ path: 'main.py' }] } });
  });

  it('refuses with the stop details the SDK types, and no thinking block', async () => {
    fake.enqueue(tool.name, { refusal: true, category: 'cyber', explanation: 'Policy.' });

    const message = await client.messages.stream(params()).finalMessage();

    expect(message.stop_reason).toBe('refusal');
    expect(message.stop_details).toEqual({ type: 'refusal', category: 'cyber', explanation: 'Policy.' });
    expect(message.content).toEqual([]);
  });

  it('returns the spend-limit 429 the SDK raises as EnforcedSpendLimitReachedError', async () => {
    fake.enqueue(
      tool.name,
      spendLimitReached({ shouldRetry: false }),
      spendLimitReached({ shouldRetry: false }),
    );

    const plain = await client.messages.create(params()).catch((e: unknown) => e);
    const streamed = await client.messages
      .stream(params())
      .finalMessage()
      .catch((e: unknown) => e);

    for (const error of [plain, streamed]) {
      expect(error).toBeInstanceOf(EnforcedSpendLimitReachedError);
      expect(error).toBeInstanceOf(RateLimitError);
      const limit = error as EnforcedSpendLimitReachedError;
      expect(limit.status).toBe(429);
      expect(limit.errorCode).toBe('enforced_spend_limit_reached');
      expect(limit.error).toMatchObject({
        type: 'error',
        error: { type: 'rate_limit_error', details: { error_code: 'enforced_spend_limit_reached' } },
      });
    }
    expect(fake.requests).toHaveLength(2);
  });

  it('fails a started stream with an error event, and a JSON request with the status', async () => {
    fake.enqueue(tool.name, { streamError: 'overloaded_error' }, { streamError: 'overloaded_error' });
    const streamed = await client.messages
      .stream(params())
      .finalMessage()
      .catch((e: unknown) => e);
    const plain = await client.messages.create(params()).catch((e: unknown) => e);

    // The SDK raises a mid-stream error without a status: the HTTP answer was a 200.
    expect(streamed).toBeInstanceOf(APIError);
    expect((streamed as APIError).status).toBeUndefined();
    expect((streamed as APIError).type).toBe('overloaded_error');
    expect(plain).toBeInstanceOf(OverloadedError);
    expect((plain as APIError).status).toBe(529);
  });

  it('answers a refused streaming request with the plain JSON 400, before any event', async () => {
    const error = await client.messages
      .stream({ ...params(), tool_choice: { type: 'tool', name: tool.name } })
      .finalMessage()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).apiMessage).toMatch(/forced tool use/);
  });
});
