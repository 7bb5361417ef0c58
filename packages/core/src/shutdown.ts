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

/**
 * For entry points: a start-up error that names its own fix (the sandbox cannot run here, say) is printed
 * as one line and the process stops with exit code 1, instead of a stack trace; anything else is rethrown.
 */
export function exitOnStartupError(logger: Logger): (err: unknown) => never {
  return (err: unknown) => {
    const code = (err as { code?: unknown } | null)?.code;
    if (code !== 'SANDBOX_UNAVAILABLE' || !(err instanceof Error)) throw err;
    logger.fatal({ code }, err.message);
    process.stderr.write(`hardfix: refusing to start: ${err.message}\n`);
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
