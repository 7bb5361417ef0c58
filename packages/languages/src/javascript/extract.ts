import type { ParseContext, ParsedError } from '../parse-types.js';
import { toProjectPath } from '../project-paths.js';

// `TypeError: msg`, `Error [ERR_X]: msg`, `SyntaxError: msg`, `AssertionError [ERR_ASSERTION]: msg`.
const ERROR_LINE = /^([A-Z][\w$]*(?:Error|Exception)|Error)(?: \[[\w]+\])?: (.*)$/;
// `/sandbox/a.js:3`, `file:///sandbox/a.mjs:3` — the header node prints above the source line.
const HEADER = /^((?:file:\/\/)?\/[^\s:]+|[\w./-]+\.[cm]?js):(\d+)$/;
// Stack frames: `at fn (/sandbox/a.js:3:7)`, `at /sandbox/a.js:3:7`, TAP `fn (/sandbox/a.js:3:7)`.
const FRAME = /\(?((?:file:\/\/)?[^\s()]+):(\d+):\d+\)?\s*$/;

/**
 * Node uncaught errors (runtime and `node --check`) and `node --test` TAP failures. The location is
 * the first project frame of the stack, else the header line.
 */
export function parseNodeError(output: string, ctx: ParseContext): ParsedError | undefined {
  return parseTap(output, ctx) ?? parseUncaught(output, ctx);
}

function parseUncaught(output: string, ctx: ParseContext): ParsedError | undefined {
  const lines = output.split('\n');
  const errorIndex = lines.findIndex((l) => ERROR_LINE.test(l));
  let header: { file: string; line: number } | undefined;
  for (const l of lines.slice(0, errorIndex < 0 ? lines.length : errorIndex)) {
    const m = HEADER.exec(l.trim());
    const file = m ? toProjectPath(m[1] ?? '', ctx.files, ctx.roots) : undefined;
    if (m && file) {
      header = { file, line: Number(m[2]) };
      break;
    }
  }
  if (errorIndex < 0) return header ? { type: 'RuntimeError', message: 'Node error', ...header } : undefined;
  const match = ERROR_LINE.exec(lines[errorIndex] ?? '');
  const frames = projectFrames(lines.slice(errorIndex + 1), ctx);
  const frame = frames[0];
  return {
    type: match?.[1] ?? 'Error',
    message: match?.[2] ?? '',
    ...(frame ?? header ?? {}),
    ...(frames.length > 0 ? { frames } : {}),
  };
}

/** Every project frame of a stack (V8 prints the innermost first), each file and line once. */
function projectFrames(lines: string[], ctx: ParseContext): { file: string; line: number }[] {
  const frames: { file: string; line: number }[] = [];
  for (const l of lines) {
    if (!/^\s*at\s|\(.*:\d+:\d+\)\s*$/.test(l)) continue;
    const m = FRAME.exec(l.trim());
    const file = m ? toProjectPath(m[1] ?? '', ctx.files, ctx.roots) : undefined;
    if (m && file && !frames.some((f) => f.file === file && f.line === Number(m[2])))
      frames.push({ file, line: Number(m[2]) });
  }
  return frames;
}

function firstProjectFrame(lines: string[], ctx: ParseContext): { file: string; line: number } | undefined {
  for (const l of lines) {
    const m = FRAME.exec(l.trim());
    const file = m ? toProjectPath(m[1] ?? '', ctx.files, ctx.roots) : undefined;
    if (m && file) return { file, line: Number(m[2]) };
  }
  return undefined;
}

/** `node --test` prints TAP (forced with --test-reporter=tap); the failure is a YAML block. */
function parseTap(output: string, ctx: ParseContext): ParsedError | undefined {
  const lines = output.split('\n');
  const failed = lines.findIndex((l) => /^\s*not ok \d+ /.test(l));
  if (failed < 0) return undefined;
  const end = lines.findIndex((l, i) => i > failed && /^\s*\.\.\.\s*$/.test(l));
  const block = lines.slice(failed + 1, end < 0 ? lines.length : end);
  const field = (name: string) => block.findIndex((l) => l.trim().startsWith(`${name}:`));
  const unquote = (v: string) => v.trim().replace(/^'(.*)'$/, '$1');

  const nameAt = field('name');
  const type = nameAt >= 0 ? unquote(block[nameAt]?.split(':').slice(1).join(':') ?? '') : 'TestFailure';
  let message = '';
  const errorAt = field('error');
  if (errorAt >= 0) {
    const inline = unquote(block[errorAt]?.trim().slice('error:'.length) ?? '');
    message =
      inline && inline !== '|-' && inline !== '|'
        ? inline
        : (block.slice(errorAt + 1).find((l) => l.trim() !== '') ?? '').trim();
  }
  const stackAt = field('stack');
  const frames = stackAt >= 0 ? projectFrames(block.slice(stackAt + 1), ctx) : [];
  const frame =
    frames[0] ??
    firstProjectFrame(
      block.filter((l) => l.trim().startsWith('location:')).map((l) => `${unquote(l.split(': ')[1] ?? '')}`),
      ctx,
    );
  return {
    type: type || 'TestFailure',
    message: message || lines[failed]?.trim() || 'test failed',
    ...frame,
    ...(frames.length > 0 ? { frames } : {}),
  };
}
