import {
  type CodeBlock,
  type Failure,
  isTestFile,
  type Language,
  type ProjectFile,
} from '@hardfix/contracts';
import { blockFor } from '../code-block.js';
import { definitionAt, enclosingFunction, type LineRange, splitLines } from './enclosing.js';

/** Why a block is a candidate; the prompt tells the model (see describeCandidate). */
export type CandidateReason =
  | { kind: 'crash' }
  | { kind: 'called-by-test'; test?: string }
  | { kind: 'caller'; depth: number; line: number }
  | { kind: 'suspicious'; rank: number; score: number; line: number }
  | { kind: 'callee'; name: string; from: string }
  | { kind: 'file' }
  | { kind: 'fallback' };

export interface BlockCandidate extends LineRange {
  file: string;
  reason: CandidateReason;
}

/** A function this short is shown whole; a longer one by the lines around the suspect line. */
const WHOLE_FUNCTION_LINES = 30;
const CONTEXT_LINES = 5;
/** The longest list kept: a fault further down is found by widening, not by walking on. */
const MAX_CANDIDATES = 12;

/**
 * The blocks hard fix may show for a failure, most likely first: the crashing line (or the definition
 * the failing test calls), the callers in the failing stack innermost first, the lines the tests rank
 * most suspicious, the definitions the first block calls, then each source file whole. A block inside
 * an earlier one is left out. Never a test file while the project has other files.
 */
export function candidateBlocks(
  failure: Failure,
  files: ProjectFile[],
  language: Language,
  entry?: string,
): BlockCandidate[] {
  const code = files.filter((f) => !isTestFile(language, f.path));
  const out: BlockCandidate[] = [];
  const add = (c: BlockCandidate | undefined) => {
    if (!c || out.length >= MAX_CANDIDATES) return;
    if (!code.some((f) => f.path === c.file)) return;
    if (out.some((o) => o.file === c.file && o.startLine <= c.startLine && o.endLine >= c.endLine)) return;
    out.push(c);
  };
  const at = (file: string, line: number, reason: CandidateReason) => {
    const content = code.find((f) => f.path === file)?.content;
    if (content === undefined) return undefined;
    return { file, ...narrowRange(content, line), reason };
  };

  const frames = failure.frames ?? [];
  if (failure.file && failure.line && code.some((f) => f.path === failure.file)) {
    const fromTest = failure.test !== undefined && frames.length === 0;
    const reason: CandidateReason = fromTest
      ? { kind: 'called-by-test', ...(failure.test?.name ? { test: failure.test.name } : {}) }
      : { kind: 'crash' };
    const whole = fromTest && failure.block ? failure.block : undefined;
    add(
      whole
        ? { file: whole.file, startLine: whole.startLine, endLine: whole.endLine, reason }
        : at(failure.file, failure.line, reason),
    );
  } else {
    const block = blockFor(failure, files, language, entry);
    add({
      file: block.file,
      startLine: block.startLine,
      endLine: block.endLine,
      reason: { kind: 'fallback' },
    });
  }
  frames.forEach((f, i) => {
    if (i > 0 || f.file !== failure.file || f.line !== failure.line)
      add(at(f.file, f.line, { kind: 'caller', depth: i, line: f.line }));
  });
  for (const [i, s] of (failure.suspicious ?? []).entries())
    add(at(s.file, s.line, { kind: 'suspicious', rank: i + 1, score: s.score, line: s.line }));
  const first = out[0];
  if (first) for (const c of callees(first, code)) add(c);
  const byFile = [
    ...new Set([...out.map((c) => c.file), ...(entry ? [entry] : []), ...code.map((f) => f.path)]),
  ];
  for (const path of byFile) {
    const content = code.find((f) => f.path === path)?.content;
    if (content !== undefined)
      add({
        file: path,
        startLine: 1,
        endLine: Math.max(1, splitLines(content).length),
        reason: { kind: 'file' },
      });
  }
  return out;
}

/** The enclosing function when it is short, else the lines around `line`. */
export function narrowRange(content: string, line: number): LineRange {
  const fn = enclosingFunction(content, line);
  if (fn && fn.endLine - fn.startLine + 1 <= WHOLE_FUNCTION_LINES) return fn;
  const total = Math.max(1, splitLines(content).length);
  const l = Math.min(Math.max(1, line), total);
  return { startLine: Math.max(1, l - CONTEXT_LINES), endLine: Math.min(total, l + CONTEXT_LINES) };
}

/** The block as hard fix shows it: the candidate's range and the current text there. */
export function codeBlockOf(files: ProjectFile[], range: { file: string } & LineRange): CodeBlock {
  const lines = splitLines(files.find((f) => f.path === range.file)?.content ?? '');
  const endLine = Math.max(range.startLine, Math.min(range.endLine, lines.length));
  return {
    file: range.file,
    startLine: range.startLine,
    endLine,
    code: lines.slice(range.startLine - 1, endLine).join('\n'),
  };
}

const CALLED = /([A-Za-z_$][\w$]*)\s*\(/g;
const NOT_CALLEES = new Set([
  'if',
  'for',
  'while',
  'switch',
  'return',
  'catch',
  'function',
  'def',
  'print',
  'len',
  'range',
  'new',
  'super',
  'this',
]);

/** Definitions, in the project's source files, of the names the block calls (its helpers). */
function callees(block: BlockCandidate, code: ProjectFile[]): BlockCandidate[] {
  const text = splitLines(code.find((f) => f.path === block.file)?.content ?? '')
    .slice(block.startLine - 1, block.endLine)
    .join('\n');
  const out: BlockCandidate[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(CALLED)) {
    const name = m[1] as string;
    if (seen.has(name) || NOT_CALLEES.has(name)) continue;
    seen.add(name);
    for (const file of code) {
      const lines = splitLines(file.content);
      const pattern = definitionPattern(name);
      const i = lines.findIndex(
        (l, at) => pattern.test(l) && definitionAt(file.content, at + 1) !== undefined,
      );
      if (i < 0) continue;
      const range = definitionAt(file.content, i + 1) as LineRange;
      if (file.path === block.file && range.startLine <= block.startLine && range.endLine >= block.endLine)
        continue;
      out.push({ file: file.path, ...range, reason: { kind: 'callee', name, from: block.file } });
      break;
    }
  }
  return out;
}

/** A definition of `name` in any of the languages: `def name`, `function name`, `Type name(`, `name(…) {`. */
function definitionPattern(name: string): RegExp {
  const n = name.replaceAll('$', '\\$');
  return new RegExp(
    `(?:\\b(?:def|function|func|fn)\\s+${n}\\b|\\b(?:const|let|var)\\s+${n}\\s*=|^\\s*(?:[\\w<>\\[\\],.?]+\\s+)+${n}\\s*\\(|^\\s*(?:async\\s+)?${n}\\s*\\([^)]*\\)\\s*\\{)`,
  );
}
