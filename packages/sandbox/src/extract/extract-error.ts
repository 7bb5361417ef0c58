import type { Language } from '@hardfix/contracts';
import { adapterOf, type ParseContext, type ParsedError } from '@hardfix/languages';
import { SANDBOX_ROOT } from '../bwrap-args.js';
import type { ExtractedError } from '../types.js';
import { extractCodeBlock } from './lines-around.js';

export interface ExtractErrorOptions {
  /** Prefixes under which the program saw the workspace. @defaultValue ['/sandbox'] */
  roots?: string[];
  /** Type used when no known format matches. @defaultValue 'RuntimeError' */
  fallbackType?: string;
}

/** The error message kept: enough to name the mistake; prompts get the output tail separately. */
export const MAX_MESSAGE_CHARS = 1_000;
/** The error type kept (a class name). */
const MAX_TYPE_CHARS = 200;
/** What the parsers read: the last lines of the output (where the error that ended the run is), each short. */
const MAX_PARSED_CHARS = 16 * 1024;
const MAX_LINE_CHARS = 2_000;

/**
 * Reduces the output of a failed run to an error type, message, location and the code around it.
 * Total: it never throws, and its cost is bounded whatever the output (the parsers only ever see the
 * last 16 KiB of lines, each cut at 2,000 characters, so no regular expression meets a long input).
 * Output in no known format falls back to the last non-empty line.
 */
export function extractError(
  language: Language,
  rawOutput: string,
  files: { path: string; content: string }[],
  options: ExtractErrorOptions = {},
): ExtractedError {
  const output = boundOutput(rawOutput);
  const ctx: ParseContext = { files, roots: options.roots ?? [SANDBOX_ROOT] };
  let parsed: ParsedError;
  try {
    parsed =
      fromMemoryExhaustion(output) ??
      adapterOf(language).errors.parse(output, ctx) ??
      fallback(output, options);
  } catch {
    // A parser bug must fail this extraction, not the job: the output's last line still says something.
    parsed = fallback(output, options);
  }
  const type = capText(parsed.type, MAX_TYPE_CHARS) || (options.fallbackType ?? 'RuntimeError');
  const message = capText(parsed.message, MAX_MESSAGE_CHARS);
  if (parsed.file === undefined || parsed.line === undefined || !Number.isSafeInteger(parsed.line))
    return { type, message };
  const block = extractCodeBlock(files, parsed.file, parsed.line);
  return { type, message, file: parsed.file, line: parsed.line, ...(block ? { block } : {}) };
}

function boundOutput(output: string): string {
  // Lines are capped first, so one huge line cannot push the error's own line out of the tail.
  const lines = output.split('\n').map((l) => (l.length > MAX_LINE_CHARS ? l.slice(0, MAX_LINE_CHARS) : l));
  let size = 0;
  let start = lines.length;
  while (start > 0 && size + (lines[start - 1]?.length ?? 0) + 1 <= MAX_PARSED_CHARS) {
    start--;
    size += (lines[start]?.length ?? 0) + 1;
  }
  return lines.slice(start).join('\n');
}

function capText(text: string, max: number): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}

/**
 * V8 aborts with a fatal error, not an exception, when memory runs out: at the heap limit ("FATAL
 * ERROR: … heap out of memory"), or, under the address-space limit, when it cannot reserve more
 * ("Fatal process out of memory: …", "Fatal process OOM in …"), or when the runtime's own C++ code
 * cannot allocate first (an uncaught std::bad_alloc; seen about 1 run in 12 on a loaded machine).
 */
function fromMemoryExhaustion(output: string): ParsedError | undefined {
  const fatal =
    /FATAL ERROR: (.*out of memory.*)$/m.exec(output) ??
    /^#?\s*(Fatal process (?:out of memory|OOM)\b.*)$/m.exec(output);
  if (fatal) return { type: 'MemoryLimit', message: fatal[1]?.trim() ?? 'out of memory' };
  if (/^terminate called after throwing an instance of 'std::bad_alloc'/m.test(output))
    return { type: 'MemoryLimit', message: 'out of memory: the runtime could not allocate (std::bad_alloc)' };
  return undefined;
}

function fallback(output: string, options: ExtractErrorOptions): ParsedError {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  // A compiler's last line is its summary (javac: "1 error"); its first `error:` line names the mistake.
  const firstError = lines.find((l) => /(^|\s)error: /.test(l));
  const last = lines.at(-1);
  const summary = last !== undefined && /^\d+ errors?$/.test(last);
  return {
    type: options.fallbackType ?? 'RuntimeError',
    message: (summary ? firstError : undefined) ?? last ?? 'failed without output',
  };
}
