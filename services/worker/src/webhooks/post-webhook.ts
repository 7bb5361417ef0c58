import { request as httpRequest, STATUS_CODES } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface WebhookAnswer {
  status: number;
}

/**
 * One POST, and nothing a receiver could turn against us: no redirects (Node's http never follows
 * them; a 3xx is just a non-2xx answer), a deadline over the whole exchange rather than per socket
 * event (a slow drip of bytes cannot hold a worker slot), a fresh connection each time (agent: false),
 * so nothing stays open after the job, and the answer's body is never read: only its status counts, and
 * nothing a receiver (or an internal host answering in its place) says can be stored or shown.
 * `lookup`, when given, chooses (and checks) the address the socket connects to.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
  lookup?: LookupFunction,
): Promise<WebhookAnswer> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method: 'POST',
      agent: false,
      ...(lookup ? { lookup } : {}),
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('response', (res) => {
      clearTimeout(timer);
      res.destroy();
      resolve({ status: res.statusCode ?? 0 });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}

/**
 * A receiver's refusal as it is stored and shown: the status code and its standard reason phrase
 * (never the answer's own phrase or body, which the receiver chooses).
 */
export function describeAnswer(status: number): string {
  const phrase = STATUS_CODES[status];
  return `answered ${status}${phrase ? ` ${phrase}` : ''}`;
}

/**
 * A failed send as it is stored and shown: short, and the same for every closed port or host, so the
 * delivery state cannot be read as a map of what answers where.
 */
export function describeSendError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (err instanceof Error && /^no complete answer within/.test(err.message)) return err.message;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return `connection failed (${code})`;
  return 'connection failed';
}
