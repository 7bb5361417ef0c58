import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** One pino instance per process; secrets that may end up in logged objects are redacted. */
export function createLogger(level: string, name = 'hardfix'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'apiKey',
        '*.apiKey',
        'headers.authorization',
        'req.headers.authorization',
        'ANTHROPIC_API_KEY',
      ],
      censor: '[redacted]',
    },
  });
}
