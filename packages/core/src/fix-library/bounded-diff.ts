import { type StructuredPatchHunk, structuredPatch } from 'diff';

/** Inputs larger than this are not diffed at all: a block-level fix is never this big. */
export const MAX_DIFF_INPUT_CHARS = 200_000;
/** Lines per input at most. */
export const MAX_DIFF_INPUT_LINES = 4_000;
/** Myers' diff gives up past this many edits or this much time, rather than run unbounded. */
export const MAX_DIFF_EDITS = 2_000;
export const DIFF_TIMEOUT_MS = 250;

const withNewline = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);

function withinBounds(text: string): boolean {
  if (text.length > MAX_DIFF_INPUT_CHARS) return false;
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (++lines > MAX_DIFF_INPUT_LINES) return false;
  }
  return true;
}

/**
 * The line hunks from `before` to `after` with `context` lines around each, or undefined when either
 * input is too large or the diff would take too long (see the limits above). Every diff of a fix goes
 * through here, so no input makes the worker spend unbounded time or memory on one.
 */
export function boundedHunks(
  before: string,
  after: string,
  context: number,
): StructuredPatchHunk[] | undefined {
  if (!withinBounds(before) || !withinBounds(after)) return undefined;
  return structuredPatch('a', 'b', withNewline(before), withNewline(after), '', '', {
    context,
    maxEditLength: MAX_DIFF_EDITS,
    timeout: DIFF_TIMEOUT_MS,
  })?.hunks;
}
