import type { Logger } from './logger.js';

/** How often a Redis that stays unreachable is reported again (REDIS_DOWN_LOG_MS overrides it). */
export const REDIS_DOWN_LOG_MS = 15_000;

// What ioredis and BullMQ say when Redis cannot be reached or used at all: an expected condition with a
// fix outside the program, reported as one line, never a stack trace or a 500.
const CONNECTION_ERROR =
  /enableOfflineQueue|Connection is closed|Reached the max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|connect ETIMEDOUT|Failed to refresh slots cache|None of startup nodes is available|NOAUTH|WRONGPASS|LOADING/;

/** True when `err` means "Redis cannot be reached (or used) right now" rather than a bug. */
export function isRedisConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'MaxRetriesPerRequestError' || CONNECTION_ERROR.test(err.message);
}

/** `url` with any password (and a lone user part, which Redis reads as a password) masked. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/)([^@/]*)@/i, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon >= 0 ? `${userinfo.slice(0, colon)}:***` : '***'}@`;
  });
}

/** What to look at, by what Redis (or the network) said. */
function whatToCheck(cause: string): string {
  if (/NOAUTH|WRONGPASS/.test(cause)) return 'check the user and password in REDIS_URL';
  if (/LOADING/.test(cause)) return 'Redis is loading its data set; this passes on its own';
  if (/ENOTFOUND|EAI_AGAIN/.test(cause)) return 'check the host name in REDIS_URL';
  return 'check that a Redis server runs there and that REDIS_URL names it (`pnpm run doctor` checks the setup)';
}

/** One sentence for a log line and for /ready: where Redis was expected, what failed, what to check. */
export function describeRedisOutage(url: string, cause: string): string {
  return `Redis is not reachable at ${redactRedisUrl(url)} (${cause}): ${whatToCheck(cause)}`;
}

interface Outage {
  since: number;
  lastLogAt: number;
  cause: string;
}

/**
 * One outage per Redis URL per process. Every connection of a process (the API's, the worker's, each
 * BullMQ blocking connection) sees the same refusal on every retry; the process reports it once, then
 * once per `everyMs` while it lasts, then once when Redis is back.
 */
const outages = new Map<string, Outage>();

/** The outage of `url` this process is in, if any: its cause and the sentence /ready answers with. */
export function currentRedisOutage(
  url: string,
): { since: number; cause: string; message: string } | undefined {
  const outage = outages.get(url);
  return (
    outage && { since: outage.since, cause: outage.cause, message: describeRedisOutage(url, outage.cause) }
  );
}

/** Told by a connection's 'error' event: logs the first, then one line per `everyMs` while down. */
export function reportRedisDown(
  url: string,
  err: Error,
  logger: Logger,
  connection: string,
  everyMs = REDIS_DOWN_LOG_MS,
): void {
  const now = Date.now();
  const cause = err.message;
  const outage = outages.get(url);
  if (outage) {
    outage.cause = cause;
    if (now - outage.lastLogAt < everyMs) return;
    outage.lastLogAt = now;
  } else outages.set(url, { since: now, lastLogAt: now, cause });
  const since = outage?.since ?? now;
  logger.warn(
    {
      redis: redactRedisUrl(url),
      cause,
      downForMs: now - since,
      connection,
      check: whatToCheck(cause),
      nextReportInMs: everyMs,
    },
    describeRedisOutage(url, cause),
  );
}

/** Told by a connection's 'ready' event: ends the outage of `url`, once, for the whole process. */
export function reportRedisUp(url: string, logger: Logger, connection: string): void {
  const outage = outages.get(url);
  if (!outage) return;
  outages.delete(url);
  logger.info(
    { redis: redactRedisUrl(url), downForMs: Date.now() - outage.since, connection },
    'Redis is reachable again',
  );
}

interface ErrorEmitter {
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * A BullMQ queue or worker without an 'error' listener prints every reconnect failure to stderr as a
 * stack trace. Connection trouble is already reported by the connection (reportRedisDown), so here it
 * is only debug; anything else is logged at `level` with its message.
 */
export function logBullErrors(
  emitters: Record<string, ErrorEmitter>,
  logger: Logger,
  { level = 'warn', what = 'queue' }: { level?: 'warn' | 'error'; what?: 'queue' | 'worker' } = {},
): void {
  for (const [name, emitter] of Object.entries(emitters)) {
    emitter.on('error', (err: Error) => {
      if (isRedisConnectionError(err))
        logger.debug({ queue: name, err: err.message }, `${what} connection error`);
      else logger[level]({ queue: name, err: err.message }, `${what} error`);
    });
  }
}
