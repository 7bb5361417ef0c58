/**
 * The little the LLM client logs with. pino's logger fits it; owning the interface keeps this package
 * free of core (and so of Redis).
 */
export interface Logger {
  error(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}
