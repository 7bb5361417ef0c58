import type { ParseContext, ParsedError } from '../parse-types.js';
import { toProjectPath } from '../project-paths.js';

const JAVAC_ERROR = /^(.+\.java):(\d+): error: (.*)$/;
const UNCAUGHT = /^Exception in thread "[^"]*" ([\w.$]+)(?:: (.*))?$/;
const CAUSED_BY = /^Caused by: ([\w.$]+)(?:: (.*))?$/;
// `at com.x.App.run(App.java:12)`: the frame names the class and the bare file name.
const FRAME = /^\s*at ([\w.$<>]+)\.[\w$<>]+\(([\w$]+\.java):(\d+)\)/;

/** javac diagnostics (first error) and uncaught JVM exceptions (root cause, first project frame). */
export function parseJavaError(output: string, ctx: ParseContext): ParsedError | undefined {
  return parseJavac(output, ctx) ?? parseUncaught(output, ctx);
}

function parseJavac(output: string, ctx: ParseContext): ParsedError | undefined {
  const lines = output.split('\n');
  const at = lines.findIndex((l) => JAVAC_ERROR.test(l));
  if (at < 0) return undefined;
  const m = JAVAC_ERROR.exec(lines[at] ?? '');
  let message = m?.[3]?.trim() ?? 'compilation failed';
  // The symbol javac could not find is what makes two "cannot find symbol" errors different, and the
  // type it was looked up on (not the variable's name) what makes two missing members different.
  for (const l of lines.slice(at + 1, at + 7)) {
    if (JAVAC_ERROR.test(l)) break;
    const symbol = /^\s*symbol:\s+(.*)$/.exec(l);
    if (symbol) message = `${message}: ${symbol[1]?.replace(/\s+/g, ' ').trim()}`;
    const receiver = /^\s*location:\s+variable\s+\S+\s+of type\s+(.+)$/.exec(l);
    if (receiver) message = `${message} (receiver ${receiver[1]?.trim()})`;
  }
  const file = toProjectPath(m?.[1] ?? '', ctx.files, ctx.roots);
  return { type: 'CompileError', message, ...(file ? { file, line: Number(m?.[2]) } : {}) };
}

function parseUncaught(output: string, ctx: ParseContext): ParsedError | undefined {
  const lines = output.split('\n');
  let at = lines.findIndex((l) => UNCAUGHT.test(l));
  if (at < 0) return undefined;
  let m = UNCAUGHT.exec(lines[at] ?? '');
  // A wrapped exception is reported by its root cause, where the real mistake is.
  const causeAt = lines.findLastIndex((l) => CAUSED_BY.test(l));
  if (causeAt > at) {
    at = causeAt;
    m = CAUSED_BY.exec(lines[at] ?? '');
  }
  const fullType = m?.[1] ?? 'Exception';
  // The cause's own frames end where the next `Caused by:` begins.
  const frames: { file: string; line: number }[] = [];
  for (const l of lines.slice(at + 1)) {
    if (CAUSED_BY.test(l)) break;
    const frame = FRAME.exec(l);
    if (!frame) continue;
    const file = javaFrameFile(frame[1] ?? '', frame[2] ?? '', ctx);
    const line = Number(frame[3]);
    if (file && !frames.some((f) => f.file === file && f.line === line)) frames.push({ file, line });
  }
  const location = frames[0];
  return {
    type: fullType.split('.').pop() ?? fullType,
    message: (m?.[2] ?? '').trim() || fullType,
    ...location,
    ...(frames.length > 0 ? { frames } : {}),
  };
}

/** Finds the project file of a frame from its class's package and the bare file name. */
function javaFrameFile(className: string, fileName: string, ctx: ParseContext): string | undefined {
  const pkg = className.split('.').slice(0, -1).join('/');
  const suffix = pkg ? `${pkg}/${fileName}` : fileName;
  const candidates = ctx.files.filter((f) => f.path === suffix || f.path.endsWith(`/${suffix}`));
  if (candidates.length > 0) return candidates.sort((a, b) => a.path.length - b.path.length)[0]?.path;
  return toProjectPath(fileName, ctx.files, ctx.roots);
}
