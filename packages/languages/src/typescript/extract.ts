import { parseNodeError } from '../javascript/extract.js';
import type { ParseContext, ParsedError } from '../parse-types.js';
import { toProjectPath } from '../project-paths.js';

// `main.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.` (tsc --pretty false)
const TSC_ERROR = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/;
// Without a file: an option or a missing root file (`error TS5023: Unknown compiler option …`).
const TSC_GLOBAL = /^error (TS\d+): (.*)$/;

/**
 * Codes the compiler picks by whether it found a similar name to suggest (which depends on the
 * program's other names, not on the mistake): the suggesting form counts as the plain one, so one
 * mistake has one type in every program and toolchain version.
 */
const SAME_MISTAKE: Readonly<Record<string, string>> = {
  TS2551: 'TS2339', // Property 'x' does not exist on type 'T'. Did you mean 'y'?
  TS2552: 'TS2304', // Cannot find name 'x'. Did you mean 'y'?
  TS2724: 'TS2305', // Module has no exported member 'x'. Did you mean 'y'?
};

/**
 * The compile step's first type error (its code as the type, file and line from the compiler's own
 * location); otherwise a runtime or test failure, read as node prints it: stack traces are source-mapped,
 * so their frames already name the .ts lines.
 */
export function parseTypescriptError(output: string, ctx: ParseContext): ParsedError | undefined {
  const lines = output.split('\n');
  for (const line of lines) {
    const m = TSC_ERROR.exec(line.trimEnd());
    if (!m) continue;
    const file = toProjectPath(m[1] ?? '', ctx.files, ctx.roots);
    const code = m[3] ?? 'TS0';
    return {
      type: SAME_MISTAKE[code] ?? code,
      message: withoutFinalStop(m[4] ?? ''),
      ...(file ? { file, line: Number(m[2]) } : {}),
    };
  }
  const global = lines.map((l) => TSC_GLOBAL.exec(l.trim())).find((m) => m !== null);
  if (global) return { type: global[1] ?? 'CompileError', message: withoutFinalStop(global[2] ?? '') };
  return parseNodeError(output, ctx);
}

/**
 * tsc ends each message with a full stop, and a suggesting form goes on after it ("… on type 'string'.
 * Did you mean 'length'?"): the signature drops the suggestion with the stop before it, so the message
 * is kept without its own final stop, and both forms of one mistake read the same.
 */
function withoutFinalStop(message: string): string {
  return message.replace(/\.$/, '');
}
