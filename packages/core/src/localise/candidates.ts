import {
  type CodeBlock,
  type Failure,
  isTestFile,
  type Language,
  type ProjectFile,
} from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import { blockFor } from '../code-block.js';
import { definitionAt, enclosingFunction, type LineRange, splitLines } from './enclosing.js';

/** Why a block is a candidate; the prompt tells the model (see describeCandidate). */
export type CandidateReason =
  | { kind: 'crash'; with?: string[] }
  | { kind: 'called-by-test'; test?: string; with?: string[] }
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
 * The first block takes in the callers, the definitions the failing test names and the helpers the
 * first block calls when they sit in the same file within this many lines of it: the fault is as often
 * in the caller that passed the wrong value as in the line that raised, and a model shown both can
 * repair either.
 */
const MERGE_LINES = 30;

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
  let primary: BlockCandidate | undefined;
  if (failure.file && failure.line && code.some((f) => f.path === failure.file)) {
    const fromTest = failure.test !== undefined && frames.length === 0;
    const reason: CandidateReason = fromTest
      ? { kind: 'called-by-test', ...(failure.test?.name ? { test: failure.test.name } : {}) }
      : { kind: 'crash' };
    const whole = fromTest && failure.block ? failure.block : undefined;
    primary = whole
      ? { file: whole.file, startLine: whole.startLine, endLine: whole.endLine, reason }
      : at(failure.file, failure.line, reason);
  } else {
    const block = blockFor(failure, files, language, entry);
    primary = {
      file: block.file,
      startLine: block.startLine,
      endLine: block.endLine,
      reason: { kind: 'fallback' },
    };
  }
  // A fix that belongs in the file's header (go imports only at the top): the first block starts at
  // line 1, unless that makes it longer than a block is shown whole.
  const failing = code.find((f) => f.path === failure.file);
  const failingLine = failing ? splitLines(failing.content)[(failure.line ?? 0) - 1] : undefined;
  const inHeader =
    failingLine !== undefined && adapterOf(language).errors.fixInHeader?.(failure.message, failingLine);
  if (primary && primary.file === failure.file && inHeader && primary.endLine <= MERGE_LINES)
    primary = { ...primary, startLine: 1 };
  const callers = frames.flatMap((f, i) =>
    i > 0 || f.file !== failure.file || f.line !== failure.line
      ? [at(f.file, f.line, { kind: 'caller', depth: i, line: f.line })].filter((c) => c !== undefined)
      : [],
  );
  const tested = testNamed(failure, files, code, language);
  const helpers = primary ? callees(primary, code) : [];
  add(primary && merged(primary, [...callers, ...tested, ...helpers]));
  for (const c of [...callers, ...tested]) add(c);
  for (const [i, s] of (failure.suspicious ?? []).entries())
    add(at(s.file, s.line, { kind: 'suspicious', rank: i + 1, score: s.score, line: s.line }));
  for (const c of helpers) add(c);
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

/** The first block stretched over the candidates close to it in its file (see MERGE_LINES). */
function merged(first: BlockCandidate, others: BlockCandidate[]): BlockCandidate {
  if (first.reason.kind !== 'crash' && first.reason.kind !== 'called-by-test') return first;
  let { startLine, endLine } = first;
  const taken: string[] = [];
  for (const c of others) {
    if (c.file !== first.file) continue;
    const start = Math.min(startLine, c.startLine);
    const end = Math.max(endLine, c.endLine);
    if (end - start + 1 > MERGE_LINES) continue;
    if (start === startLine && end === endLine) continue;
    startLine = start;
    endLine = end;
    taken.push(
      c.reason.kind === 'caller'
        ? `the caller at line ${c.reason.line}`
        : c.reason.kind === 'callee'
          ? `${c.reason.name}, which it calls`
          : `the test's call of ${c.startLine}-${c.endLine}`,
    );
  }
  return taken.length === 0
    ? first
    : { ...first, startLine, endLine, reason: { ...first.reason, with: taken } };
}

/**
 * The definitions the failing test calls, from its asserting line up to the start of the test (the
 * same reading as the sandbox's called-definition, over names any language spells `name(`).
 */
function testNamed(
  failure: Failure,
  files: ProjectFile[],
  code: ProjectFile[],
  language: Language,
): BlockCandidate[] {
  const test = failure.test;
  if (!test) return [];
  const reason: CandidateReason = { kind: 'called-by-test', ...(test.name ? { test: test.name } : {}) };
  const out: BlockCandidate[] = [];
  const take = (text: string) => {
    for (const c of definitionsCalled(text, code, reason))
      if (!out.some((o) => o.file === c.file && o.startLine === c.startLine)) out.push(c);
  };
  if (test.file && test.line) {
    const lines = splitLines(files.find((f) => f.path === test.file)?.content ?? '');
    for (let i = test.line - 1, n = 0; i >= 0 && n < TEST_LINES; i--, n++) {
      take(lines[i] ?? '');
      if (TEST_START.test(lines[i] ?? '')) break;
    }
    return out;
  }
  // A crash whose stack never reaches the test (a stack overflow keeps only its innermost frames):
  // the test found by its name, read from its start down.
  const found = test.name
    ? testByName(
        test.name,
        files.filter((f) => isTestFile(language, f.path)),
      )
    : undefined;
  if (!found) return out;
  const lines = splitLines(found.file.content);
  for (let i = found.line, n = 0; i < lines.length && n < TEST_LINES; i++, n++) {
    if (n > 0 && TEST_START.test(lines[i] ?? '')) break;
    take(lines[i] ?? '');
  }
  return out;
}

const TEST_LINES = 15;
const TEST_START = /^\s*(?:def |(?:public |static |void )+\w+\s*\(|(?:it|test|describe)\s*\()/;

/**
 * Where a test named as its runner names it starts: unittest's `test_odd (module.Class.test_odd)`
 * (its def), node's `odd` (a `test('odd'` or `it('odd'`), the java runner's class (its main).
 */
function testByName(name: string, tests: ProjectFile[]): { file: ProjectFile; line: number } | undefined {
  const word = /^[\w$.]+/.exec(name)?.[0] ?? '';
  const method = word.split('.').pop() ?? word;
  const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [
    ...(method ? [new RegExp(`^\\s*(?:async\\s+)?def\\s+${method.replaceAll('$', '\\$')}\\b`)] : []),
    new RegExp(`\\b(?:test|it)\\s*\\(\\s*['"\`]${quoted}['"\`]`),
  ];
  for (const file of tests) {
    const lines = splitLines(file.content);
    for (const pattern of patterns) {
      const i = lines.findIndex((l) => pattern.test(l));
      if (i >= 0) return { file, line: i };
    }
    const base = file.path
      .split('/')
      .pop()
      ?.replace(/\.\w+$/, '');
    if (base && base === word) {
      const i = lines.findIndex((l) => /\bstatic\s+void\s+main\s*\(/.test(l));
      if (i >= 0) return { file, line: i };
    }
  }
  return undefined;
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
  return definitionsCalled(text, code, undefined)
    .filter((c) => !(c.file === block.file && c.startLine <= block.startLine && c.endLine >= block.endLine))
    .map((c) => ({
      ...c,
      reason: { kind: 'callee' as const, name: (c.reason as { name: string }).name, from: block.file },
    }));
}

/** The definitions of the names `text` calls, in the project's source files, in the order called. */
function definitionsCalled(
  text: string,
  code: ProjectFile[],
  reason: CandidateReason | undefined,
): BlockCandidate[] {
  const out: BlockCandidate[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(CALLED)) {
    const name = m[1] as string;
    if (seen.has(name) || NOT_CALLEES.has(name)) continue;
    seen.add(name);
    const pattern = definitionPattern(name);
    for (const file of code) {
      const lines = splitLines(file.content);
      const i = lines.findIndex(
        (l, at) => pattern.test(l) && definitionAt(file.content, at + 1) !== undefined,
      );
      if (i < 0) continue;
      const range = definitionAt(file.content, i + 1) as LineRange;
      out.push({ file: file.path, ...range, reason: reason ?? { kind: 'callee', name, from: '' } });
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
