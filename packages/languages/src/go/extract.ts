import type { ParseContext, ParsedError } from '../parse-types.js';
import { toProjectPath } from '../project-paths.js';
import { plainOutput } from './events.js';
import { canonicalMessage } from './messages.js';

// `./main.go:10:14: undefined: strings`; go vet prefixes a type-check error with `vet: `.
const DIAGNOSTIC = /^(vet: )?((?:\.\/)?[^\s:]+\.go):(\d+)(?::(\d+))?: (.*)$/;
/** What the compile step prints between `go build` and `go vet` (verify.ts). */
export const VET_HEADER = '# go vet';
const PANIC = /^panic: (.*?)(?: \[recovered\])?$/;
const FATAL = /^fatal error: (.*)$/;
// `\t/sandbox/main.go:12 +0x1d`: the file line of a goroutine frame (a fatal error's adds `fp=… sp=… pc=…`).
const FRAME_FILE = /^\s+(\/?[^\s:]+\.go):(\d+)(?: \+0x[0-9a-f]+)?(?: [a-z]+=0x[0-9a-f]+)*$/;
// `    calc_test.go:12: Add(1, 2) = 4, want 3`: t.Errorf's location is a bare file name.
const TEST_LOG = /^\s+([\w.-]+\.go):(\d+): (.*)$/;
const TEST_FAIL = /^\s*--- FAIL: (\S+)/;

/**
 * The first error of `go build`, else `go vet` (both `file:line:col: message`), a panic or fatal error
 * with the first project frame of the goroutine that died, or a failed test (its first t.Errorf line).
 * `go test -json` output is read as the plain text its events carry.
 */
export function parseGoError(output: string, ctx: ParseContext): ParsedError | undefined {
  const lines = plainOutput(output).split('\n');
  return crash(lines, ctx) ?? diagnostic(lines, ctx) ?? testFailure(lines, ctx);
}

function diagnostic(lines: string[], ctx: ParseContext): ParsedError | undefined {
  const vetAt = lines.indexOf(VET_HEADER);
  for (const [i, l] of lines.entries()) {
    const m = DIAGNOSTIC.exec(l);
    if (!m) continue;
    const file = projectFile(m[2] ?? '', ctx);
    if (!file) continue;
    // After the build passed, a finding of vet's own analyses (a wrong Printf verb, a copied lock) is
    // a VetError; vet's type-check errors (`vet: …`, in a test file, say) are compile errors still.
    const type = vetAt >= 0 && i > vetAt && !m[1] ? 'VetError' : 'CompileError';
    return { type, message: canonicalMessage(m[5] ?? ''), file, line: Number(m[3]) };
  }
  return undefined;
}

/** The type a panic or fatal error is reported as (docs/architecture.md, "Go"). */
const RUNTIME_TYPES: [RegExp, string][] = [
  [/^runtime error: index out of range/, 'IndexOutOfRange'],
  [/^runtime error: slice bounds out of range/, 'SliceBoundsOutOfRange'],
  [/^runtime error: invalid memory address or nil pointer dereference/, 'NilPointerDereference'],
  [/^runtime error: integer divide by zero/, 'DivideByZero'],
  [/^assignment to entry in nil map/, 'NilMapAssignment'],
  [/^interface conversion: /, 'InterfaceConversion'],
  [/^runtime error: /, 'RuntimeError'],
];

function crash(lines: string[], ctx: ParseContext): ParsedError | undefined {
  const panicAt = lines.findIndex((l) => PANIC.test(l));
  const fatalAt = lines.findIndex((l) => FATAL.test(l));
  let type: string;
  let message: string;
  let at: number;
  if (panicAt >= 0 && (fatalAt < 0 || panicAt < fatalAt)) {
    at = panicAt;
    const text = PANIC.exec(lines[at] ?? '')?.[1]?.trim() ?? '';
    // `panic: runtime error: …` then the signal line for a nil dereference; a user's panic(value) prints the value.
    message = text.replace(/^runtime error: /, '');
    type = RUNTIME_TYPES.find(([re]) => re.test(text))?.[1] ?? 'Panic';
    // A test's panic is reported by the testing package as `panic: … [recovered]`, then re-panicked.
  } else if (fatalAt >= 0) {
    at = fatalAt;
    const text = FATAL.exec(lines[at] ?? '')?.[1]?.trim() ?? '';
    const stackGrowth = lines.some((l) => /^runtime\.(?:newstack|morestack)\(/.test(l));
    if (/^stack overflow$/.test(text) || (/^out of memory$/.test(text) && stackGrowth)) {
      // Under the sandbox's address-space limit a runaway recursion runs out of memory growing its stack
      // before it reaches Go's 1 GB stack limit: the same mistake, reported as what it is.
      type = 'StackOverflow';
      message = 'goroutine stack exceeds its limit (unbounded recursion)';
    } else if (/deadlock/.test(text)) {
      type = 'Deadlock';
      message = text;
    } else if (/^out of memory$/.test(text)) {
      type = 'MemoryLimit';
      message = lines.find((l) => /^runtime: out of memory/.test(l))?.replace(/^runtime: /, '') ?? text;
    } else {
      type = 'FatalError';
      message = text;
    }
  } else return undefined;
  return { type, message, ...firstProjectFrame(lines.slice(at + 1), ctx) };
}

/** The first frame in the project's files, of the goroutine the runtime reported first (the one that died). */
function firstProjectFrame(lines: string[], ctx: ParseContext): { file: string; line: number } | undefined {
  let inGoroutine = false;
  for (const l of lines) {
    if (/^goroutine \d+ \[/.test(l)) {
      if (inGoroutine) break;
      inGoroutine = true;
      continue;
    }
    if (!inGoroutine) continue;
    const m = FRAME_FILE.exec(l);
    const file = m ? projectFile(m[1] ?? '', ctx) : undefined;
    if (m && file) return { file, line: Number(m[2]) };
  }
  return undefined;
}

function testFailure(lines: string[], ctx: ParseContext): ParsedError | undefined {
  const failAt = lines.findIndex((l) => TEST_FAIL.test(l));
  if (failAt < 0) return undefined;
  const name = TEST_FAIL.exec(lines[failAt] ?? '')?.[1] ?? '';
  // The test's own log lines stand between its `=== RUN` and its `--- FAIL`.
  let start = failAt - 1;
  while (start >= 0 && !(lines[start] ?? '').startsWith(`=== RUN   ${name}`)) start--;
  for (const l of lines.slice(Math.max(0, start), failAt)) {
    const m = TEST_LOG.exec(l);
    const file = m ? projectFile(m[1] ?? '', ctx) : undefined;
    if (m && file)
      return { type: 'TestFailure', message: m[3]?.trim() || `${name} failed`, file, line: Number(m[2]) };
  }
  return { type: 'TestFailure', message: `${name} failed` };
}

/** A path go printed (`./main.go`, `/sandbox/pkg/a.go`, or a test log's bare `a_test.go`) as a project file. */
function projectFile(raw: string, ctx: ParseContext): string | undefined {
  const direct = toProjectPath(raw, ctx.files, ctx.roots);
  if (direct) return direct;
  if (raw.includes('/')) return undefined;
  const candidates = ctx.files.filter((f) => f.path.endsWith(`/${raw}`));
  return candidates.length === 1 ? candidates[0]?.path : undefined;
}
