import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** Enough of an answer to say why it was refused; a receiver cannot make us read more. */
export const MAX_ANSWER_BYTES = 2_048;

export interface WebhookAnswer {
  status: number;
  /** The first MAX_ANSWER_BYTES of the body, for the delivery state's last error. */
  excerpt: string;
}

/**
 * One POST, and nothing a receiver could turn against us: no redirects (Node's http never follows
 * them; a 3xx is just a non-2xx answer), a deadline over the whole exchange rather than per socket
 * event (a slow drip of bytes cannot hold a worker slot), a capped read of the answer, and a fresh
 * connection each time (agent: false), so nothing stays open after the job.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<WebhookAnswer> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method: 'POST',
      agent: false,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = () => {
        clearTimeout(timer);
        res.destroy();
        resolve({ status: res.statusCode ?? 0, excerpt: Buffer.concat(chunks).toString('utf8', 0, size) });
      };
      res.on('data', (chunk: Buffer) => {
        const room = MAX_ANSWER_BYTES - size;
        if (room > 0) {
          chunks.push(chunk.subarray(0, room));
          size += Math.min(room, chunk.length);
        }
        if (size >= MAX_ANSWER_BYTES) finish();
      });
      res.on('end', finish);
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}
