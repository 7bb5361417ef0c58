import type { Logger } from '@hardfix/core';

/** Long enough for in-flight requests and job hand-offs; short enough for an orchestrator's grace period. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * On the first SIGTERM/SIGINT, runs `close` and exits; a second signal, or a close that hangs,
 * exits at once so an operator is never stuck with a process that will not stop.
 */
export function closeOnSignals(logger: Logger, close: () => Promise<void>): void {
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
    }, SHUTDOWN_TIMEOUT_MS).unref();
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
