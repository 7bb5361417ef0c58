import type { Language } from '@hardfix/contracts';
import { SANDBOX_ROOT } from '../bwrap-args.js';
import type { ExtractedError } from '../types.js';
import { extractCodeBlock } from './code-block.js';
import { parseJavaError } from './java.js';
import { parseNodeError } from './node.js';
import { parsePythonError } from './python.js';
import type { ParseContext, ParsedError } from './types.js';

export interface ExtractErrorOptions {
  /** Prefixes under which the program saw the workspace. @defaultValue ['/sandbox'] */
  roots?: string[];
  /** Type used when no known format matches. @defaultValue 'RuntimeError' */
  fallbackType?: string;
}

const PARSERS: Record<Language, (output: string, ctx: ParseContext) => ParsedError | undefined> = {
  python: parsePythonError,
  javascript: parseNodeError,
  java: parseJavaError,
};

/**
 * Reduces the output of a failed run to an error type, message, location and the code around it.
 * Never throws: output in no known format falls back to the last non-empty line.
 */
export function extractError(
  language: Language,
  output: string,
  files: { path: string; content: string }[],
  options: ExtractErrorOptions = {},
): ExtractedError {
  const ctx: ParseContext = { files, roots: options.roots ?? [SANDBOX_ROOT] };
  const parsed = fromMemoryExhaustion(output) ?? PARSERS[language](output, ctx) ?? fallback(output, options);
  if (parsed.file === undefined || parsed.line === undefined)
    return { type: parsed.type, message: parsed.message };
  const block = extractCodeBlock(files, parsed.file, parsed.line);
  return { ...parsed, ...(block ? { block } : {}) };
}

/** V8 aborts with a fatal error, not an exception, when the heap limit is hit. */
function fromMemoryExhaustion(output: string): ParsedError | undefined {
  const fatal = /FATAL ERROR: (.*heap out of memory.*)$/m.exec(output);
  return fatal ? { type: 'MemoryLimit', message: fatal[1]?.trim() ?? 'out of memory' } : undefined;
}

function fallback(output: string, options: ExtractErrorOptions): ParsedError {
  const last = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .pop();
  return { type: options.fallbackType ?? 'RuntimeError', message: last ?? 'failed without output' };
}
