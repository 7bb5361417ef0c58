import { createRequire } from 'node:module';
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

const REDACT = {
  paths: ['apiKey', '*.apiKey', 'headers.authorization', 'req.headers.authorization', 'ANTHROPIC_API_KEY'],
  censor: '[redacted]',
};

/**
 * One pino instance per process; secrets that may end up in logged objects are redacted. A person at a
 * terminal gets pino-pretty's readable lines; anything else (compose, a log shipper, a file) gets one JSON
 * object per line.
 */
export function createLogger(
  level: string,
  name = 'hardfix',
  pretty = process.stdout.isTTY === true,
): Logger {
  if (!pretty) return pino({ name, level, redact: REDACT });
  // Resolved here, where it is a dependency: pino loads transports by path in a worker thread.
  const target = createRequire(import.meta.url).resolve('pino-pretty');
  return pino({
    name,
    level,
    redact: REDACT,
    transport: {
      target,
      options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
    },
  });
}
