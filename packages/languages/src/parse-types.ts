/** What a language-specific parser found in the output; the caller adds the code block. */
export interface ParsedError {
  type: string;
  message: string;
  file?: string;
  line?: number;
  /**
   * Every project frame of the stack that ended the run (test files included), innermost first, each
   * file and line once: the callers a fault may sit in when the crashing line is not it.
   */
  frames?: { file: string; line: number }[];
}

export interface ParseContext {
  files: { path: string; content: string }[];
  /** Prefixes under which the program saw the workspace (e.g. `/sandbox`). */
  roots: string[];
}
