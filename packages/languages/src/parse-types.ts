/** What a language-specific parser found in the output; the caller adds the code block. */
export interface ParsedError {
  type: string;
  message: string;
  file?: string;
  line?: number;
}

export interface ParseContext {
  files: { path: string; content: string }[];
  /** Prefixes under which the program saw the workspace (e.g. `/sandbox`). */
  roots: string[];
}
