import { type Status, statusSchema } from '@hardfix/contracts';
import { EventsUnavailableError, followEvents } from './follow-events.js';
import { type MonitorArgs, parseMonitorArgs, USAGE, UsageError } from './monitor-args.js';
import { renderStatus } from './render-status.js';

/** A status read must not hang the view: the API answers from counters, so 3 s is generous. */
const FETCH_TIMEOUT_MS = 3_000;
/** ANSI: cursor home, then erase below; redraws in place without the flicker of a full clear. */
const HOME = '\x1b[H';
const CLEAR_BELOW = '\x1b[J';
const CLEAR_SCREEN = '\x1b[2J';

export interface MonitorIo {
  argv: readonly string[];
  /** HARDFIX_URL. */
  envUrl: string | undefined;
  /** HARDFIX_TOKEN, for --events. */
  envToken?: string | undefined;
  out: (text: string) => void;
  err: (text: string) => void;
  /** Stops the live view (Ctrl-C). */
  signal?: AbortSignal;
  /** @defaultValue 2000 */
  intervalMs?: number;
}

export class StatusUnavailableError extends Error {}

export async function fetchStatus(url: string): Promise<Status> {
  let res: Response;
  try {
    res = await fetch(`${url}/status`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (err) {
    const reason =
      err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new StatusUnavailableError(`the service at ${url} does not answer (${reason})`);
  }
  if (!res.ok)
    throw new StatusUnavailableError(`GET ${url}/status answered ${res.status}: ${await res.text()}`);
  const parsed = statusSchema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new StatusUnavailableError(`GET ${url}/status did not answer a status document`);
  return parsed.data;
}

/** Runs the monitor; resolves to the process exit code. */
export async function runMonitor(io: MonitorIo): Promise<number> {
  let args: MonitorArgs;
  try {
    args = parseMonitorArgs(io.argv, io.envUrl, io.envToken);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`${err.message}\n${USAGE}\n`);
    return 2;
  }
  try {
    if (args.mode === 'json') io.out(`${JSON.stringify(await fetchStatus(args.url), null, 2)}\n`);
    else if (args.mode === 'events') await followEvents(args.url, args.token ?? '', io);
    else if (args.mode === 'status')
      io.out(`${renderStatus(await fetchStatus(args.url), args.url, new Date())}\n`);
    else await live(args.url, io);
    return 0;
  } catch (err) {
    if (!(err instanceof StatusUnavailableError || err instanceof EventsUnavailableError)) throw err;
    io.err(`monitor: ${err.message}\n`);
    return 1;
  }
}

/**
 * Redraws every interval until aborted. The first read must succeed (a wrong URL should fail fast);
 * after that a failed read is shown in the view and retried, since a restart of the API is no reason
 * to lose the window.
 */
async function live(url: string, io: MonitorIo): Promise<void> {
  const first = await fetchStatus(url);
  const interval = io.intervalMs ?? 2_000;
  const footer = `\n\nrefreshing every ${interval / 1000} s; Ctrl-C quits\n`;
  io.out(CLEAR_SCREEN);
  let lastGood = renderStatus(first, url, new Date());
  let frame = lastGood;
  while (!io.signal?.aborted) {
    io.out(`${HOME}${frame}${footer}${CLEAR_BELOW}`);
    await sleep(interval, io.signal);
    if (io.signal?.aborted) break;
    try {
      lastGood = renderStatus(await fetchStatus(url), url, new Date());
      frame = lastGood;
    } catch (err) {
      if (!(err instanceof StatusUnavailableError)) throw err;
      frame = `${lastGood}\n\n!! ${err.message}; showing the last figures, retrying`;
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
