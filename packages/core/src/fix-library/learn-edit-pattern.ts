import type { EditPattern, Language, PatternEdit } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import { anchorOf } from './anchor.js';
import { boundedHunks } from './bounded-diff.js';
import { importLineOf } from './import-placement.js';
import { type Token, tokenize } from './tokens.js';

/** A learnt pattern is small: more edits or tokens than this is a rewrite, not a pattern. */
export const MAX_PATTERN_EDITS = 4;
export const MAX_PATTERN_TOKENS = 24;

export interface LearnInput {
  language: Language;
  /** The error message the fix repaired (its anchor is taken from it). */
  message: string;
  /** The failing block and what stands in its place in the working version. */
  originalCode: string;
  workingCode: string;
}

/**
 * The edit pattern of a working fix, or undefined when the change is not a small token-level edit
 * (a restructured block keeps only its block-level patch). Line hunks first (bounded, see
 * bounded-diff.ts): added import lines become `import` edits; each changed line becomes the smallest
 * differing token run, widened to take in the anchor and a member's dot, with the identifiers it moves
 * around abstracted into metavariables.
 */
export function learnEditPattern(input: LearnInput): EditPattern | undefined {
  const { language } = input;
  const hunks = boundedHunks(input.originalCode, input.workingCode, 0);
  if (!hunks || hunks.length === 0) return undefined;
  const anchor = anchorOf(input.message);
  const edits: PatternEdit[] = [];
  for (const hunk of hunks) {
    const removed = hunk.lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1));
    const added = hunk.lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1));
    const removedCode = removed.filter((l) => l.trim() !== '');
    const addedCode = added.filter((l) => l.trim() !== '');
    const imports = addedCode.filter(
      (l) => importLineOf(language).test(l) && !removedCode.some((r) => r.trim() === l.trim()),
    );
    for (const line of imports) edits.push({ kind: 'import', line: line.trim() });
    const rest = addedCode.filter((l) => !imports.includes(l));
    if (rest.length !== removedCode.length) return undefined;
    for (let i = 0; i < rest.length; i++) {
      const before = removedCode[i] ?? '';
      const after = rest[i] ?? '';
      if (before.trim() === after.trim()) continue;
      const rewrite = learnRewrite(before, after, language, anchor);
      if (rewrite === undefined) return undefined;
      if (rewrite) edits.push(rewrite);
    }
  }
  const unique = edits.filter(
    (e, i) => edits.findIndex((o) => JSON.stringify(o) === JSON.stringify(e)) === i,
  );
  if (unique.length === 0 || unique.length > MAX_PATTERN_EDITS) return undefined;
  return { ...(anchor ? { anchor } : {}), edits: unique };
}

/**
 * The rewrite from one line to another: null when their tokens are the same (only spacing changed),
 * undefined when the change cannot be a pattern (too long, or not about the anchor: a rewrite that
 * does not touch the name the error named would be applied wherever its tokens happen to match).
 */
function learnRewrite(
  beforeLine: string,
  afterLine: string,
  language: Language,
  anchor: string | undefined,
): PatternEdit | null | undefined {
  const a = tokenize(beforeLine, language);
  const b = tokenize(afterLine, language);
  if (!a || !b || !anchor) return undefined;
  if (a.length === b.length && a.every((t, i) => t.text === b[i]?.text)) return null;
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix]?.text === b[prefix]?.text) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix]?.text === b[b.length - 1 - suffix]?.text
  )
    suffix++;
  let lo = prefix;
  let hiA = a.length - suffix;
  let hiB = b.length - suffix;
  // Take in the anchor: the edit is about the name the error named, so it must be matched on it.
  const at = anchor ? nearestToken(a, anchor, lo, hiA) : -1;
  if (at >= 0 && at < lo) lo = at;
  if (at >= hiA) {
    hiB += at + 1 - hiA;
    hiA = at + 1;
  }
  // A pure insertion needs something to stand on: the token before it, else the one after.
  if (lo === hiA) {
    if (lo > 0) lo--;
    else if (hiA < a.length) {
      hiA++;
      hiB++;
    } else return undefined;
  }
  // A member keeps its dot, so `.push` never matches a bare `push`.
  if (lo > 0 && a[lo - 1]?.text === '.') lo--;
  const beforeTokens = a.slice(lo, hiA);
  const afterTokens = b.slice(lo, hiB);
  if (!beforeTokens.some((t) => t.text === anchor)) return undefined;
  if (beforeTokens.length > MAX_PATTERN_TOKENS || afterTokens.length > MAX_PATTERN_TOKENS * 2)
    return undefined;

  const keywords = adapterOf(language).editPatterns.keywords;
  const vars = new Map<string, number>();
  const before = beforeTokens.map((t, i) => {
    const member = beforeTokens[i - 1]?.text === '.';
    const abstractable =
      (t.kind === 'id' && !keywords.has(t.text) && t.text !== anchor && !member) ||
      t.kind === 'num' ||
      t.kind === 'str';
    if (!abstractable || !afterTokens.some((u) => u.text === t.text)) return t.text;
    if (!vars.has(t.text)) vars.set(t.text, vars.size);
    return vars.get(t.text) as number;
  });
  const after: (string | number)[] = [];
  let cursor = afterTokens[0]?.start ?? 0;
  for (const t of afterTokens) {
    if (t.start > cursor) pushText(after, afterLine.slice(cursor, t.start));
    const v = vars.get(t.text);
    const member = afterLine[t.start - 1] === '.';
    if (v !== undefined && !member) after.push(v);
    else pushText(after, t.text);
    cursor = t.end;
  }
  return { kind: 'rewrite', before, after };
}

function pushText(parts: (string | number)[], text: string): void {
  const last = parts[parts.length - 1];
  if (typeof last === 'string') parts[parts.length - 1] = last + text;
  else parts.push(text);
}

/** The index of the anchor token nearest to the run [lo, hi), or -1. */
function nearestToken(tokens: Token[], text: string, lo: number, hi: number): number {
  let best = -1;
  let bestDistance = Number.POSITIVE_INFINITY;
  tokens.forEach((t, i) => {
    if (t.text !== text) return;
    const distance = i < lo ? lo - i : i >= hi ? i - hi + 1 : 0;
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  return best;
}
