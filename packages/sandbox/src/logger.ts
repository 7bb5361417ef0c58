/** The little the sandbox logs with; pino's logger fits it, and the sandbox need not depend on core. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
