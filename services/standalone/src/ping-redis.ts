import { connect } from 'node:net';

/**
 * Sends PING to host:port and resolves Redis's first reply line (`+PONG`, `-NOAUTH ...`, `-LOADING ...`);
 * rejects when nothing answers within `timeoutMs`. A raw socket, so a probe leaves no client retrying.
 */
export function pingRedis(host: string, port: number, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let reply = '';
    const done = (err: Error | undefined, line?: string) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(line ?? '');
    };
    const timer = setTimeout(() => done(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      const end = reply.indexOf('\r\n');
      if (end >= 0) done(undefined, reply.slice(0, end));
    });
    socket.once('error', (err) => done(err));
    socket.once('close', () => done(new Error('closed without an answer')));
  });
}

/** host and port of a plain redis:// URL (defaults as Redis's own: localhost, 6379). */
export function hostAndPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
  };
}
