import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RegistryRequest {
  method: string;
  path: string;
}

/** A loopback HTTP server that logs every request and can be stopped and started again on its port. */
export interface LoggedServer {
  readonly url: string;
  readonly port: number;
  /** Every request since start, oldest first. */
  readonly requests: RegistryRequest[];
  /** Requests whose path matches, e.g. the downloads of one file. */
  count(match: RegExp): number;
  /** Closes the port (an outage); `start()` opens it again at the same address. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export async function serveLogged(handler: Handler, port = 0): Promise<LoggedServer> {
  const requests: RegistryRequest[] = [];
  let server: Server | undefined;
  let boundPort = port;
  const start = () =>
    new Promise<void>((ok, fail) => {
      const s = createServer((req, res) => {
        const url = new URL(req.url ?? '/', `http://127.0.0.1:${boundPort}`);
        requests.push({ method: req.method ?? 'GET', path: decodeURIComponent(url.pathname) });
        try {
          handler(req, res, url);
        } catch (err) {
          res.writeHead(500).end(String(err));
        }
      });
      s.once('error', fail);
      s.listen(boundPort, '127.0.0.1', () => {
        boundPort = (s.address() as AddressInfo).port;
        server = s;
        ok();
      });
    });
  const stop = () =>
    new Promise<void>((ok) => {
      if (!server) return ok();
      const s = server;
      server = undefined;
      s.close(() => ok());
      s.closeAllConnections();
    });
  await start();
  return {
    get url() {
      return `http://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    requests,
    count: (match) => requests.filter((r) => match.test(r.path)).length,
    stop,
    start,
    close: stop,
  };
}
