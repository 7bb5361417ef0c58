import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FAKE_ERROR_TYPES,
  type FakeAnthropic,
  type FakeAnthropicOptions,
  type FakeHandler,
  type FakeReply,
  type FakeRequest,
} from './fake-anthropic-types.js';
import { buildMessage, messageJson, newId, sendStream, sendStreamError } from './fake-message.js';
import { createPromptCache, tokens } from './fake-prompt-cache.js';
import { rulesFor } from './model-rules.js';
import { applyModelRules, RejectedRequest, type ThinkingPlan } from './request-rules.js';
import { parseLanguage, parseProjectName, simulatedClaude } from './simulated-claude.js';

const SECRET_HEADERS = new Set(['x-api-key', 'authorization']);
const MAX_BODY_BYTES = 32 * 1024 * 1024;

class BadRequest extends Error {}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block) =>
      block && typeof block === 'object' && (block as { type?: unknown }).type === 'text'
        ? String((block as { text?: unknown }).text ?? '')
        : '',
    )
    .join('\n');
}

/** SDK 1.x sends the API key as `Authorization: Bearer`; older clients and curl use `x-api-key`. */
function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string') return header;
  return /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new BadRequest('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseRequest(req: IncomingMessage, raw: string): FakeRequest {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new BadRequest('body is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new BadRequest('body must be an object');
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') throw new BadRequest('model: field required');
  if (typeof b.max_tokens !== 'number' || b.max_tokens < 1)
    throw new BadRequest('max_tokens: field required');
  if (!Array.isArray(b.messages) || b.messages.length === 0)
    throw new BadRequest('messages: at least one message is required');
  const choice = b.tool_choice as { type?: unknown; name?: unknown } | undefined;
  const tools = Array.isArray(b.tools) ? (b.tools as ({ name?: unknown } | null)[]) : [];
  const forced = choice?.type === 'tool' && typeof choice.name === 'string' ? choice.name : undefined;
  if (forced !== undefined && !tools.some((t) => t?.name === forced))
    throw new BadRequest(`tool_choice names "${forced}", which is not in tools`);
  const only = tools.length === 1 && typeof tools[0]?.name === 'string' ? tools[0].name : undefined;
  const toolName = forced ?? (choice?.type === 'none' ? undefined : only);
  const lastUser = [...b.messages].reverse().find((m) => (m as { role?: unknown } | null)?.role === 'user') as
    | { content?: unknown }
    | undefined;
  const userText = textOf(lastUser?.content);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!SECRET_HEADERS.has(name) && value !== undefined)
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    toolName,
    system: textOf(b.system),
    messages: b.messages,
    userText,
    projectName: parseProjectName(userText),
    language: parseLanguage(userText),
    body: b,
    headers,
  };
}

function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
  requestId = newId('req'),
) {
  if (res.destroyed || res.headersSent) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': requestId,
    ...headers,
  });
  res.end(text);
}

/** An error in the API's shape: `{type: "error", error: {type, message[, details]}, request_id}`. */
function sendError(
  res: ServerResponse,
  status: keyof typeof FAKE_ERROR_TYPES,
  message: string,
  headers: Record<string, string> = {},
  errorCode?: string,
) {
  const requestId = newId('req');
  const error = {
    type: FAKE_ERROR_TYPES[status],
    message,
    ...(errorCode === undefined ? {} : { details: { error_code: errorCode } }),
  };
  sendJson(res, status, { type: 'error', error, request_id: requestId }, headers, requestId);
}

/**
 * A local Messages API (`POST /v1/messages`, JSON or `stream: true` Server-Sent Events) for the real
 * @anthropic-ai/sdk to talk to. The request's model id chooses the rules it is held to (model-rules.ts):
 * an unknown id answers 404, a setting the model refuses answers 400, as the real API does. Replies to
 * accepted requests come from the per-tool queue, then the handler, then the simulated Claude.
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: FakeRequest[] = [];
  const queues = new Map<string, FakeReply[]>();
  const timers = new Set<NodeJS.Timeout>();
  let handler: FakeHandler | undefined = options.handler;
  const cache = createPromptCache({ ttlMs: options.cacheTtlMs ?? 5 * 60_000 });

  const wait = (ms: number, res: ServerResponse) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
      // A client that timed out has gone; stop waiting for it.
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve();
      });
    });

  async function answer(
    res: ServerResponse,
    request: FakeRequest,
    reply: FakeReply,
    plan: ThinkingPlan,
    minCacheTokens: number,
  ): Promise<void> {
    if ('delayMs' in reply) {
      await wait(reply.delayMs, res);
      return answer(res, request, reply.then, plan, minCacheTokens);
    }
    if ('status' in reply) {
      const headers: Record<string, string> = {};
      if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
      if (reply.retryAfterMs !== undefined) headers['retry-after-ms'] = String(reply.retryAfterMs);
      if (reply.shouldRetry !== undefined) headers['x-should-retry'] = String(reply.shouldRetry);
      const message = reply.message ?? `Simulated ${FAKE_ERROR_TYPES[reply.status]}`;
      return sendError(res, reply.status, message, headers, reply.errorCode);
    }
    if ('streamError' in reply) {
      const message =
        reply.message ?? (reply.streamError === 'overloaded_error' ? 'Overloaded' : 'Internal server error');
      if (request.body.stream !== true)
        return sendError(res, reply.streamError === 'overloaded_error' ? 529 : 500, message);
      return sendStreamError(
        res,
        String(request.body.model),
        { type: reply.streamError, message },
        newId('req'),
      );
    }
    // Input is counted on the body without `stream`, which is transport, not prompt.
    const input = tokens(JSON.stringify({ ...request.body, stream: undefined }));
    const usage = cache.usage(request.body, input, Date.now(), minCacheTokens);
    const message = buildMessage(request, usage, reply, plan);
    if (request.body.stream === true) sendStream(res, message, newId('req'));
    else sendJson(res, 200, messageJson(message));
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method !== 'POST' || path !== '/v1/messages')
      return sendError(res, 404, `Not found: ${req.method} ${path}`);
    const raw = await readBody(req);
    if (options.apiKey !== undefined && presentedKey(req) !== options.apiKey)
      return sendError(res, 401, 'invalid x-api-key');
    if (!req.headers['anthropic-version'])
      return sendError(res, 400, 'anthropic-version: header is required');
    const request = parseRequest(req, raw);
    requests.push(request);
    const model = String(request.body.model);
    const rules = rulesFor(model);
    if (!rules) return sendError(res, 404, `model: ${model}`);
    const plan = applyModelRules(request.body, rules);
    const queued = request.toolName === undefined ? undefined : queues.get(request.toolName)?.shift();
    const reply = queued ?? (await handler?.(request)) ?? simulatedClaude(request);
    await answer(res, request, reply, plan, options.cacheMinTokens ?? rules.minCacheTokens);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (err instanceof BadRequest || err instanceof RejectedRequest) sendError(res, 400, err.message);
      // A broken script is a test bug: answer with a non-retryable error that says so.
      else
        sendJson(
          res,
          500,
          { type: 'error', error: { type: 'api_error', message: String(err) } },
          {
            'x-should-retry': 'false',
          },
        );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://${address.address}:${address.port}`,
    requests,
    enqueue(toolName, ...replies) {
      const queue = queues.get(toolName) ?? [];
      queue.push(...replies);
      queues.set(toolName, queue);
    },
    setHandler(next) {
      handler = next;
    },
    callsFor: (toolName) => requests.filter((r) => r.toolName === toolName),
    reset() {
      requests.length = 0;
      queues.clear();
      cache.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets of the SDK's fetch would hold close() open otherwise.
        server.closeAllConnections();
      }),
  };
}
