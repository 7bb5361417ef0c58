import {
  type Attempt,
  type CodeBlock,
  type Failure,
  type Language,
  type ProjectFile,
  REFUSED_UNRUN,
  type StrategyTier,
} from '@hardfix/contracts';
import { type BlockCandidate, candidateBlocks, codeBlockOf } from './candidates.js';
import { describeChoice } from './describe.js';
import { enclosingFunction, type LineRange, splitLines } from './enclosing.js';

/** What an earlier attempt of this round showed and what came of it (from its Attempt record). */
export interface ShownAttempt {
  shown: { file: string } & LineRange;
  /** The signature of the error its candidate produced (or the refusal's). */
  signature?: string;
  /** The model repeated an earlier candidate: refused unrun. */
  duplicate: boolean;
}

export interface ChosenBlock {
  block: CodeBlock;
  candidate: BlockCandidate;
  /** Its place in the candidate list (0: the most likely). */
  index: number;
  /** Why this block, in a sentence for the prompt. */
  reason: string;
}

/** A block is not shown again once it failed this often with the same error. */
export const SAME_ERROR_LIMIT = 2;
/** Nor once it was shown this often at all (with different errors each time). */
const SHOWN_LIMIT = 3;

/**
 * The block for the next hard-fix attempt: the first candidate (see candidateBlocks) that is not
 * spent, widened by the tier (conservative and moderate: the candidate; aggressive: its enclosing
 * function; nuclear: its whole file). A block is spent when it failed twice with the same error, or
 * was shown three times, or the model repeated itself on it in the attempt just before (a duplicate
 * never costs two attempts in a row). When every candidate is spent, the one shown least, never the
 * block of a duplicate just before.
 */
export function chooseBlock(input: {
  failure: Failure;
  files: ProjectFile[];
  language: Language;
  entry?: string | undefined;
  tier: StrategyTier;
  history: readonly ShownAttempt[];
}): ChosenBlock {
  const { files, tier, history } = input;
  const candidates = candidateBlocks(input.failure, files, input.language, input.entry);
  const widened = candidates.map((c) => ({ candidate: c, range: widen(c, files, tier) }));
  const last = history.at(-1);
  const on = (range: { file: string } & LineRange) => history.filter((h) => sameRange(h.shown, range));
  const justRepeated = (range: { file: string } & LineRange) =>
    last?.duplicate === true && sameRange(last.shown, range);
  const spent = (range: { file: string } & LineRange) => {
    const shown = on(range);
    if (shown.length >= SHOWN_LIMIT || justRepeated(range)) return true;
    // A duplicate repeats the error of the attempt before it on this block: it counts as that error.
    const counts = new Map<string, number>();
    let previous = 'duplicate';
    for (const h of shown) {
      const key = h.duplicate ? previous : (h.signature ?? '');
      previous = key;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.values()].some((n) => n >= SAME_ERROR_LIMIT);
  };
  let index = widened.findIndex((w) => !spent(w.range));
  if (index < 0) {
    const open = widened
      .map((w, i) => ({ i, n: on(w.range).length }))
      .filter((x) => !justRepeated(widened[x.i]?.range as BlockCandidate));
    index = open.sort((a, b) => a.n - b.n || a.i - b.i)[0]?.i ?? 0;
  }
  const chosen = widened[index] as { candidate: BlockCandidate; range: { file: string } & LineRange };
  const block = codeBlockOf(files, chosen.range);
  const previous = last?.shown;
  const movedFrom =
    previous && !sameRange(previous, chosen.range) && history.length > 0
      ? { range: previous, why: spentWhy(previous, history, last?.duplicate ?? false) }
      : undefined;
  return {
    block,
    candidate: chosen.candidate,
    index,
    reason: describeChoice(chosen.candidate, block, tier, movedFrom),
  };
}

function spentWhy(
  range: { file: string } & LineRange,
  history: readonly ShownAttempt[],
  duplicate: boolean,
): string {
  if (duplicate) return 'the model repeated an earlier candidate there';
  const shown = history.filter((h) => sameRange(h.shown, range));
  const sigs = shown.map((h) => h.signature);
  if (sigs.some((s, i) => sigs.indexOf(s) !== i))
    return `it failed ${SAME_ERROR_LIMIT} times with the same error`;
  return `it was tried ${shown.length} times`;
}

function widen(c: BlockCandidate, files: ProjectFile[], tier: StrategyTier): { file: string } & LineRange {
  const content = files.find((f) => f.path === c.file)?.content ?? '';
  if (tier === 'nuclear')
    return { file: c.file, startLine: 1, endLine: Math.max(1, splitLines(content).length) };
  if (tier === 'aggressive') {
    const fn = enclosingFunction(content, c.startLine);
    if (fn && fn.startLine <= c.startLine && fn.endLine >= c.endLine) return { file: c.file, ...fn };
  }
  return { file: c.file, startLine: c.startLine, endLine: c.endLine };
}

function sameRange(a: { file: string } & LineRange, b: { file: string } & LineRange): boolean {
  return a.file === b.file && a.startLine === b.startLine && a.endLine === b.endLine;
}

/**
 * What the earlier attempts of this round showed, from their records (oldest first). Records written
 * before blocks were recorded have no `shown` and are left out.
 */
export function shownHistory(
  attempts: readonly Attempt[],
  stage: Attempt['stage'],
  from: number,
  before: number,
): ShownAttempt[] {
  return attempts
    .filter((a) => a.stage === stage && a.n > from && a.n < before && a.shown)
    .sort((a, b) => a.n - b.n)
    .map((a) => ({
      shown: a.shown as ShownAttempt['shown'],
      ...(a.error?.signature ? { signature: a.error.signature } : {}),
      duplicate: a.error?.type === REFUSED_UNRUN.duplicate,
    }));
}
