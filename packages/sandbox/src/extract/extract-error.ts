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
export const MAX_PARSED_CHARS = 16 * 1024;
export const MAX_LINE_CHARS = 2_000;

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
  const { tail: output, headAndTail } = boundOutput(rawOutput);
  const ctx: ParseContext = { files, roots: options.roots ?? [SANDBOX_ROOT] };
  let parsed: ParsedError;
  try {
    parsed =
      fromMemoryExhaustion(output) ??
      parseLong(language, output, headAndTail, ctx) ??
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
  const frames =
    parsed.frames && parsed.frames.length > 0 ? { frames: parsed.frames.slice(0, MAX_FRAMES) } : {};
  return { type, message, file: parsed.file, line: parsed.line, ...(block ? { block } : {}), ...frames };
}

/** Distinct project frames kept: a caller further out than this is rarely where the fault is. */
const MAX_FRAMES = 20;
/** What a long output keeps of its head when its tail alone names no error (see parseLong). */
const HEAD_CHARS = 4 * 1024;

/**
 * The tail names the error that ended the run in python and node. Where it does not (a JVM prints the
 * exception's name above a stack of a thousand frames on a StackOverflowError), or names it only
 * generically, the head is read with the tail: a long output is cut in the middle, never at both ends.
 * The head also holds the outermost frames (the test, the first call of a recursion), kept as frames.
 */
function parseLong(
  language: Language,
  tail: string,
  headAndTail: string | undefined,
  ctx: ParseContext,
): ParsedError | undefined {
  const parsed = adapterOf(language).errors.parse(tail, ctx);
  if (headAndTail === undefined) return parsed;
  const whole = adapterOf(language).errors.parse(headAndTail, ctx);
  if (!parsed || GENERIC.has(parsed.message)) return whole ?? parsed;
  return whole?.frames ? { ...parsed, frames: whole.frames } : parsed;
}

/** What a parser reports when it found frames but no exception line. */
const GENERIC = new Set(['Python error', 'Node error']);

/** What the parsers are given of an output (exported for its test): its bounded tail, and head too. */
export function boundOutput(output: string): { tail: string; headAndTail?: string } {
  // Lines are capped first, so one huge line cannot push the error's own line out of the tail.
  const lines = output.split('\n').map((l) => (l.length > MAX_LINE_CHARS ? l.slice(0, MAX_LINE_CHARS) : l));
  let size = 0;
  let start = lines.length;
  while (start > 0 && size + (lines[start - 1]?.length ?? 0) + 1 <= MAX_PARSED_CHARS) {
    start--;
    size += (lines[start]?.length ?? 0) + 1;
  }
  const tail = lines.slice(start).join('\n');
  if (start === 0) return { tail };
  let end = 0;
  let headSize = 0;
  while (end < start && headSize + (lines[end]?.length ?? 0) + 1 <= HEAD_CHARS) {
    headSize += (lines[end]?.length ?? 0) + 1;
    end++;
  }
  return { tail, headAndTail: [...lines.slice(0, end), ...lines.slice(start)].join('\n') };
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
