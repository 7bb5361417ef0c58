import type { ParseContext, ParsedError } from '../parse-types.js';
import { toProjectPath } from '../project-paths.js';

const FRAME = /^\s*File "([^"]+)", line (\d+)/;
const EXCEPTION = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;

/**
 * Python tracebacks (runtime, unittest failures) and compile errors (SyntaxError and
 * IndentationError from py_compile or import). Uses the LAST traceback in the output (the one that
 * ended the program, after any "During handling ..." chain) and its last frame inside the project.
 */
export function parsePythonError(output: string, ctx: ParseContext): ParsedError | undefined {
  const sorry = parseSorry(output, ctx);
  if (sorry) return sorry;
  const lines = output.split('\n');
  let start = lines.findLastIndex((l) => l.startsWith('Traceback (most recent call last):'));
  if (start < 0) start = lines.findIndex((l) => FRAME.test(l));
  if (start < 0) return undefined;

  let file: string | undefined;
  let line: number | undefined;
  const frames: { file: string; line: number }[] = [];
  for (let i = start; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const frame = FRAME.exec(text);
    if (frame) {
      const projectPath = toProjectPath(frame[1] ?? '', ctx.files, ctx.roots);
      if (projectPath) {
        file = projectPath;
        line = Number(frame[2]);
        frames.push({ file, line });
      }
      continue;
    }
    if (i === start || text.trim() === '' || /^\s/.test(text)) continue;
    const exception = EXCEPTION.exec(text.trimEnd());
    if (!exception) continue;
    const fullType = exception[1] ?? 'Error';
    return {
      type: fullType.split('.').pop() ?? fullType,
      message: (exception[2] ?? '').trim() || fullType,
      ...(file === undefined ? {} : { file, line, frames: innermostFirst(frames) }),
    };
  }
  return file === undefined
    ? undefined
    : { type: 'RuntimeError', message: 'Python error', file, line, frames: innermostFirst(frames) };
}

/** Python prints the outermost frame first; a recursion repeats frames, kept once at their deepest. */
function innermostFirst(frames: { file: string; line: number }[]): { file: string; line: number }[] {
  const seen = new Set<string>();
  return frames.reverse().filter((f) => {
    const key = `${f.file}:${f.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * py_compile reports some compile errors (IndentationError, TabError) in an older one-line format:
 * `Sorry: IndentationError: expected an indented block ... (main.py, line 2)`.
 */
function parseSorry(output: string, ctx: ParseContext): ParsedError | undefined {
  const m = /^Sorry: ([A-Za-z_]\w*): (.*) \(([^()]+), line (\d+)\)/m.exec(output);
  if (!m) return undefined;
  const file = toProjectPath(m[3] ?? '', ctx.files, ctx.roots);
  return { type: m[1] ?? 'SyntaxError', message: m[2] ?? '', ...(file ? { file, line: Number(m[4]) } : {}) };
}
