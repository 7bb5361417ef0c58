import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { partialParse } from '@anthropic-ai/sdk/_vendor/partial-json-parser/parser';
import { TOOLS } from '@hardfix/contracts';
import type { AnswerReply, FakeRequest } from './fake-anthropic-types.js';
import { type CacheUsage, tokens } from './fake-prompt-cache.js';
import type { Effort } from './model-rules.js';
import type { ThinkingPlan } from './request-rules.js';

export const newId = (prefix: string) => `${prefix}_fake${randomBytes(9).toString('hex')}`;

/** A content block as the fake builds it; `json` is the tool input text the stream sends. */
type Block =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown; json: string };

export interface FakeMessage {
  id: string;
  model: string;
  blocks: Block[];
  stop_reason: 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal';
  stop_details: { type: 'refusal'; category: string | null; explanation: string | null } | null;
  usage: CacheUsage & { input_tokens: number; output_tokens: number };
}

/** Thinking the fake "spends" per effort, so output tokens grow with it as on the real API. */
const THINKING_TOKENS: Record<Effort, number> = { low: 32, medium: 64, high: 128, xhigh: 192, max: 256 };

const contractSchemas = new Map<string, (typeof TOOLS)[keyof typeof TOOLS]['schema']>(
  Object.values(TOOLS).map((t) => [t.name, t.schema]),
);

function toolBlock(request: FakeRequest, reply: AnswerReply): Extract<Block, { type: 'tool_use' }> {
  const name = ('name' in reply ? reply.name : undefined) ?? request.toolName;
  if (name === undefined)
    throw new Error('fake Anthropic: a tool reply needs a request offering one tool, or a name');
  const input = 'tool' in reply ? reply.tool : 'toolRaw' in reply ? reply.toolRaw : undefined;
  const schema = 'tool' in reply ? contractSchemas.get(name) : undefined;
  const checked = schema?.safeParse(input);
  if (checked && !checked.success)
    throw new Error(
      `fake Anthropic: scripted ${name} input breaks the contract (use toolRaw): ${checked.error}`,
    );
  if (!('truncated' in reply))
    return { type: 'tool_use', id: newId('toolu'), name, input, json: JSON.stringify(input) };
  const full = JSON.stringify(reply.truncated);
  const keep = reply.keepChars ?? Math.floor(full.length / 2);
  if (keep < 1 || keep >= full.length)
    throw new Error(
      `fake Anthropic: truncated keepChars ${keep} must cut inside the ${full.length}-character input`,
    );
  const json = full.slice(0, keep);
  // What the SDK's stream accumulator makes of the cut JSON, so both paths return the same message.
  return { type: 'tool_use', id: newId('toolu'), name, input: partialParse(json), json };
}

/** The answer to an accepted request, before it is sent as JSON or as a stream. */
export function buildMessage(
  request: FakeRequest,
  usage: CacheUsage & { input_tokens: number },
  reply: AnswerReply,
  plan: ThinkingPlan,
): FakeMessage {
  const blocks: Block[] = [];
  if (plan.thinks && !('refusal' in reply))
    blocks.push({
      type: 'thinking',
      thinking: plan.omitted ? '' : 'The request names one tool; I will call it with the answer.',
      signature: randomBytes(48).toString('base64'),
    });
  let stop: FakeMessage['stop_reason'];
  let details: FakeMessage['stop_details'] = null;
  if ('refusal' in reply) {
    if (reply.text !== undefined) blocks.push({ type: 'text', text: reply.text });
    stop = 'refusal';
    details = { type: 'refusal', category: reply.category ?? null, explanation: reply.explanation ?? null };
  } else if ('text' in reply) {
    blocks.push({ type: 'text', text: reply.text });
    stop = 'end_turn';
  } else {
    blocks.push(toolBlock(request, reply));
    stop = 'truncated' in reply ? 'max_tokens' : 'tool_use';
  }
  const answerTokens = tokens(JSON.stringify(blocks.filter((b) => b.type !== 'thinking')));
  const thinkingTokens = plan.thinks ? THINKING_TOKENS[plan.effort ?? 'high'] : 0;
  const maxTokens = request.body.max_tokens as number;
  return {
    id: newId('msg'),
    model: String(request.body.model),
    blocks,
    stop_reason: stop,
    stop_details: details,
    usage: {
      ...usage,
      // A truncated answer used all of max_tokens; no other answer may claim more than that.
      output_tokens: stop === 'max_tokens' ? maxTokens : Math.min(maxTokens, answerTokens + thinkingTokens),
    },
  };
}

const publicBlock = (b: Block) => {
  if (b.type !== 'tool_use') return b;
  const { json: _json, ...rest } = b;
  return rest;
};

/** The non-streaming response body. */
export function messageJson(m: FakeMessage) {
  return {
    id: m.id,
    type: 'message',
    role: 'assistant',
    model: m.model,
    content: m.blocks.map(publicBlock),
    stop_reason: m.stop_reason,
    stop_sequence: null,
    stop_details: m.stop_details,
    usage: m.usage,
  };
}

function chunks(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * The same message as Server-Sent Events, in the Messages API's order: message_start, then per block
 * content_block_start / deltas / content_block_stop (a ping after the first start), message_delta with the
 * stop reason and final usage, message_stop.
 */
export function sendStream(res: ServerResponse, m: FakeMessage, requestId: string) {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': requestId,
  });
  const send = (event: string, data: Record<string, unknown>) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  const start = messageJson(m);
  send('message_start', {
    message: {
      ...start,
      content: [],
      stop_reason: null,
      stop_details: null,
      usage: { ...m.usage, output_tokens: 1 },
    },
  });
  if (m.blocks.length === 0) send('ping', {});
  m.blocks.forEach((block, index) => {
    const delta = (d: Record<string, unknown>) => send('content_block_delta', { index, delta: d });
    const begin = (contentBlock: Record<string, unknown>) => {
      send('content_block_start', { index, content_block: contentBlock });
      if (index === 0) send('ping', {});
    };
    if (block.type === 'thinking') {
      begin({ type: 'thinking', thinking: '', signature: '' });
      for (const part of chunks(block.thinking, 24)) delta({ type: 'thinking_delta', thinking: part });
      delta({ type: 'signature_delta', signature: block.signature });
    } else if (block.type === 'text') {
      begin({ type: 'text', text: '' });
      for (const part of chunks(block.text, 24)) delta({ type: 'text_delta', text: part });
    } else {
      begin({ type: 'tool_use', id: block.id, name: block.name, input: {} });
      delta({ type: 'input_json_delta', partial_json: '' });
      for (const part of chunks(block.json, 32)) delta({ type: 'input_json_delta', partial_json: part });
    }
    send('content_block_stop', { index });
  });
  send('message_delta', {
    delta: { stop_reason: m.stop_reason, stop_sequence: null, stop_details: m.stop_details },
    usage: m.usage,
  });
  send('message_stop', {});
  res.end();
}

/** A stream that starts, then fails with an `error` event, as the API does when it overloads mid-answer. */
export function sendStreamError(
  res: ServerResponse,
  model: string,
  error: { type: string; message: string },
  requestId: string,
) {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': requestId,
  });
  const send = (event: string, data: Record<string, unknown>) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  send('message_start', {
    message: {
      id: newId('msg'),
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      stop_details: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    },
  });
  send('error', { error });
  res.end();
}
