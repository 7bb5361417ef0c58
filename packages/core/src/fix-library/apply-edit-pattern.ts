import type { EditPattern, Language, PatternEdit, ProjectFile } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import { importInsertionIndex } from './import-placement.js';
import { type Token, tokenize } from './tokens.js';

// Tests are the spec: a library repair never edits them (see the verification contract).
// (javascript's also counts any file under test/; issue 20 merges the two definitions.)
const TEST_PATH: Partial<Record<Language, RegExp>> = {
  python: /(^|\/)(test_[^/]*|[^/]*_test)\.py$/,
  javascript: /(^|\/)(test\/.*|[^/]*\.test)\.[cm]?js$/,
  java: /Test\.java$/,
};

export interface ApplyTarget {
  language: Language;
  files: ProjectFile[];
  /** The file the error is in: the pattern is applied there, else in the project's other sources. */
  file: string | undefined;
}

export interface AppliedPattern {
  files: ProjectFile[];
  /** The files it changed. */
  changed: string[];
}

/**
 * Instantiates a pattern in a new program: imports go to the top of the failing file (where that
 * language's imports go, unless the file has the line already), rewrites apply wherever their tokens
 * match in it (a rewrite that finds nothing there looks in the project's other non-test sources).
 * Undefined when the pattern changes nothing. The caller must verify the result.
 */
export function applyEditPattern(pattern: EditPattern, target: ApplyTarget): AppliedPattern | undefined {
  const { language } = target;
  const sources = target.files.filter(
    (f) => !(TEST_PATH[language] ?? adapterOf(language).files.test).test(f.path),
  );
  const home = sources.find((f) => f.path === target.file) ?? (target.file ? undefined : sources[0]);
  if (!home) return undefined;
  const contents = new Map(target.files.map((f) => [f.path, f.content]));

  const rewrites = pattern.edits.filter((e) => e.kind === 'rewrite');
  for (const edit of rewrites) {
    const homeText = contents.get(home.path) ?? '';
    const here = applyRewrite(edit, homeText, language);
    if (here !== undefined) {
      contents.set(home.path, here);
      continue;
    }
    for (const other of sources) {
      if (other.path === home.path) continue;
      const elsewhere = applyRewrite(edit, contents.get(other.path) ?? '', language);
      if (elsewhere !== undefined) contents.set(other.path, elsewhere);
    }
  }
  const imports = pattern.edits.flatMap((e) => (e.kind === 'import' ? [e.line] : []));
  if (imports.length > 0)
    contents.set(home.path, addImports(contents.get(home.path) ?? '', imports, language));

  const changed = target.files.filter((f) => contents.get(f.path) !== f.content).map((f) => f.path);
  if (changed.length === 0) return undefined;
  return { files: target.files.map((f) => ({ ...f, content: contents.get(f.path) ?? f.content })), changed };
}

function addImports(content: string, imports: string[], language: Language): string {
  const lines = content.split('\n');
  const present = new Set(lines.filter((l) => !/^\s/.test(l)).map((l) => l.trim()));
  const missing = imports.filter((l) => !present.has(l));
  if (missing.length === 0) return content;
  lines.splice(importInsertionIndex(lines, language), 0, ...missing);
  return lines.join('\n');
}

/** The text with every match of the rewrite replaced, or undefined when nothing matched. */
function applyRewrite(
  edit: Extract<PatternEdit, { kind: 'rewrite' }>,
  text: string,
  language: Language,
): string | undefined {
  const tokens = tokenize(text, language);
  if (!tokens || edit.before.length === 0) return undefined;
  const spans: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i + edit.before.length <= tokens.length; i++) {
    const bound = matchAt(edit.before, tokens, i);
    if (!bound) continue;
    // A name pattern does not match a member of the same name (`xs.range` is not `range`).
    if (typeof edit.before[0] !== 'number' && tokens[i]?.kind === 'id' && tokens[i - 1]?.text === '.')
      continue;
    const replacement = edit.after.map((p) => (typeof p === 'number' ? (bound[p] ?? '') : p)).join('');
    const start = tokens[i]?.start ?? 0;
    const end = tokens[i + edit.before.length - 1]?.end ?? start;
    // Already in the fixed form (an insertion whose result still contains its own pattern): leave it.
    if (text.startsWith(replacement, start) && replacement.length > end - start) continue;
    spans.push({ start, end, text: replacement });
    i += edit.before.length - 1;
  }
  if (spans.length === 0) return undefined;
  let out = text;
  for (const span of spans.reverse()) out = out.slice(0, span.start) + span.text + out.slice(span.end);
  return out === text ? undefined : out;
}

/** The metavariable bindings when `before` matches the tokens at `at`, else undefined. */
function matchAt(before: (string | number)[], tokens: Token[], at: number): string[] | undefined {
  const bound: string[] = [];
  for (let j = 0; j < before.length; j++) {
    const want = before[j];
    const token = tokens[at + j];
    if (!token || want === undefined) return undefined;
    if (typeof want === 'string') {
      if (token.text !== want) return undefined;
      continue;
    }
    if (token.kind === 'punct') return undefined;
    const seen = bound[want];
    if (seen !== undefined && seen !== token.text) return undefined;
    bound[want] = token.text;
  }
  return bound;
}
