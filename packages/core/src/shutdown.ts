import type { Logger } from './logger.js';

/**
 * On the first SIGTERM/SIGINT, runs `close` and exits; a second signal, or a close that hangs,
 * exits at once so an operator is never stuck with a process that will not stop.
 */
export function closeOnSignals(
  logger: Logger,
  close: () => Promise<void>,
  /** Keep it under the orchestrator's grace period (docker compose: stop_grace_period). */
  timeoutMs = 10_000,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal; exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs).unref();
    close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Errors whose message already names the fix (the sandbox cannot run here, no Redis to start, ...). */
const NAMES_ITS_FIX = new Set(['SANDBOX_UNAVAILABLE', 'EMBEDDED_REDIS_UNAVAILABLE']);

/** The one line a start-up error deserves, when it is an expected condition with a fix; else undefined. */
export function startupRefusal(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (NAMES_ITS_FIX.has(String(e.code))) return err.message;
  if (e.syscall !== 'listen') return undefined;
  const where = `${e.address ?? 'HOST'}:${e.port ?? 'PORT'}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return `${where} is already in use: stop the program listening there, or set PORT to another port (PORT=0 picks a free one)`;
    case 'EACCES':
      return `not allowed to listen on ${where}: set PORT to a port above 1023`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: HOST is not an address of this machine; set HOST (0.0.0.0: every interface)`;
    default:
      return undefined;
  }
}

/**
 * For entry points: a start-up error that names its own fix (the sandbox cannot run here, the port is
 * taken, ...) is printed as one line and the process stops with exit code 1, instead of a stack trace;
 * anything else is rethrown.
 */
export function exitOnStartupError(logger: Logger): (err: unknown) => never {
  return (err: unknown) => {
    const line = startupRefusal(err);
    if (line === undefined) throw err;
    logger.fatal({ code: (err as { code?: unknown }).code }, line);
    process.stderr.write(`hardfix: refusing to start: ${line}\n`);
    process.exit(1);
  };
}

/** Told when a close step is still running: which one, and for how long so far. */
export type SlowCloseReporter = (step: string, waitedMs: number) => void;

/**
 * Runs close steps one after another. A step still running after `slowMs` is reported, and again every
 * `slowMs`, so a shutdown that hangs says what it waits on (active jobs, a Redis connection, …).
 */
export async function closeInSteps(
  steps: readonly (readonly [name: string, close: () => Promise<unknown>])[],
  onSlow: SlowCloseReporter,
  slowMs = 5_000,
): Promise<void> {
  for (const [name, close] of steps) {
    const started = Date.now();
    const timer = setInterval(() => onSlow(name, Date.now() - started), slowMs);
    timer.unref();
    try {
      await close();
    } finally {
      clearInterval(timer);
    }
  }
}
