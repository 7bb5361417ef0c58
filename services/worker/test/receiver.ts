import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SseMessage, takeSseMessages } from '@hardfix/api';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  /** The raw body, as the signature covers it. */
  body: string;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** How to answer the request numbered `n` (1-based): a status, or a function that answers itself. */
  answer: (n: number, res: ServerResponse) => number | 'handled';
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A real HTTP server on loopback that records every webhook it gets. */
export async function startReceiver(path = '/hook'): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const answer = receiver.answer(requests.length, res);
      if (answer === 'handled') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    answer: () => 200,
    waitFor: async (count, timeoutMs = 30_000) => {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline)
          throw new Error(`receiver got ${requests.length} of ${count} requests in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return requests;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
  return receiver;
}

/**
 * Reads a Server-Sent Events stream until `done` says it has enough (or the timeout), then closes it.
 * Resolves once the response headers are in, so a caller knows the stream is live before acting.
 */
export async function openSse(
  url: string,
  headers: Record<string, string>,
): Promise<{
  status: number;
  messages: SseMessage[];
  until(done: (m: SseMessage[]) => boolean, timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
}> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const messages: SseMessage[] = [];
  if (res.ok && res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          const taken = takeSseMessages(buffer + value);
          buffer = taken.rest;
          messages.push(...taken.messages);
        }
      } catch {
        // aborted by close()
      }
    })();
  }
  return {
    status: res.status,
    messages,
    until: async (done, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!done(messages)) {
        if (Date.now() > deadline)
          throw new Error(`SSE: only ${messages.length} messages in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return messages;
    },
    close: () => controller.abort(),
  };
}
