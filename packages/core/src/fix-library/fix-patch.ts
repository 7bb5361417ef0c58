import { createHash } from 'node:crypto';
import { applyPatch, formatPatch } from 'diff';
import { boundedHunks, MAX_DIFF_INPUT_CHARS } from './bounded-diff.js';

export interface FixPatch {
  /**
   * Unified diff from the failing block to the working one (3 lines of context, for people and fuzz);
   * absent when the blocks are too large to diff within the limits of bounded-diff.ts.
   */
  patch?: string;
  /**
   * MD5 of the change alone (removed and added lines, trimmed, without context): the same edit made in
   * two different programs has the same hash, so it counts as one fix rather than two.
   */
  changeHash: string;
}

const withNewline = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);

/** The change hash of a fix known only by its working code (no failing block, or too large to diff). */
export const wholeCodeHash = (workingCode: string) =>
  createHash('md5').update(`=${workingCode.trim()}`).digest('hex');

export function makeFixPatch(originalCode: string, workingCode: string): FixPatch {
  const hunks = boundedHunks(originalCode, workingCode, 3);
  const bare = boundedHunks(originalCode, workingCode, 0);
  if (!hunks || !bare) return { changeHash: wholeCodeHash(workingCode) };
  const patch = formatPatch({
    oldFileName: 'block',
    newFileName: 'block',
    oldHeader: '',
    newHeader: '',
    hunks,
  });
  const change = bare
    .flatMap((h) => h.lines)
    .filter((l) => l.startsWith('+') || l.startsWith('-'))
    .map((l) => `${l[0]}${l.slice(1).trim()}`)
    .join('\n');
  return { patch, changeHash: createHash('md5').update(change).digest('hex') };
}

/** What applyProvenFix needs of a fix. */
export interface PatchableFix {
  working_code: string;
  original_code?: string | undefined;
  patch?: string | undefined;
}

export interface BlockToFix {
  file: string;
  startLine: number;
  endLine: number;
  code: string;
}

const IMPORT_LINE =
  /^\s*(?:import\s|from\s+\S+\s+import\s|(?:const|let|var)\s+.+=\s*require\(|#include\s|using\s)/;

const sameCode = (a: string, b: string) => a.replace(/\s+$/gm, '').trim() === b.replace(/\s+$/gm, '').trim();

/**
 * The new code for `block` with a proven fix applied, or undefined when it does not apply. In order:
 * the same failing block gets the working code as it is; otherwise the stored patch is applied with
 * growing fuzz; otherwise each change is re-anchored on its own (removed lines found anywhere in the
 * block, an added import put beside the block's imports), which is what carries a missing-import fix
 * to a program whose other lines all differ. The caller must verify the result: a patch that applies is
 * not yet a fix.
 */
export function applyProvenFix(fix: PatchableFix, block: BlockToFix): string | undefined {
  const source = withNewline(block.code);
  const trailing = block.code.endsWith('\n');
  const finish = (out: string | undefined) => {
    if (out === undefined || sameCode(out, block.code)) return undefined;
    return trailing ? withNewline(out) : out.replace(/\n$/, '');
  };
  if (fix.original_code !== undefined && sameCode(fix.original_code, block.code))
    return finish(fix.working_code);
  if (!fix.patch || source.length > MAX_DIFF_INPUT_CHARS) return undefined;
  for (const fuzzFactor of [0, 1, 2]) {
    const out = applyPatch(source, fix.patch, { fuzzFactor });
    if (out !== false) return finish(out);
  }
  return finish(reanchor(fix, source));
}

/** Applies the patch's changes without their context (see applyProvenFix). */
function reanchor(fix: PatchableFix, source: string): string | undefined {
  if (fix.original_code === undefined) return undefined;
  const hunks = boundedHunks(fix.original_code, fix.working_code, 0);
  if (!hunks || hunks.length === 0) return undefined;
  const lines = source.replace(/\n$/, '').split('\n');
  // Later hunks first, so the line numbers of earlier ones stay valid.
  for (const hunk of [...hunks].reverse()) {
    const removed = hunk.lines.filter((l) => l.startsWith('-')).map((l) => l.slice(1));
    const added = hunk.lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1));
    if (removed.length > 0) {
      const at = findLines(lines, removed, hunk.oldStart - 1);
      if (at < 0) return undefined;
      const indent = indentDelta(removed[0] ?? '', lines[at] ?? '');
      lines.splice(at, removed.length, ...added.map((l) => reindent(l, indent)));
      continue;
    }
    // A pure insertion: only an import (or a line at the very start or end) has a place we can know.
    if (added.every((l) => IMPORT_LINE.test(l) || l.trim() === '')) {
      const at = importInsertionPoint(lines);
      // Blank lines only separate imports from code at the top; beside other imports they would not.
      const afterImports = at > 0 && IMPORT_LINE.test(lines[at - 1] ?? '');
      const missing = added.filter((l) =>
        l.trim() === '' ? !afterImports : !lines.some((x) => x.trim() === l.trim()),
      );
      if (missing.every((l) => l.trim() === '')) return undefined;
      lines.splice(at, 0, ...missing);
    } else if (hunk.oldStart === 0) {
      lines.splice(0, 0, ...added);
    } else if (hunk.oldStart >= fix.original_code.replace(/\n$/, '').split('\n').length) {
      lines.push(...added);
    } else {
      return undefined;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** After the block's last import, else at the top (below a shebang). */
function importInsertionPoint(lines: string[]): number {
  let last = -1;
  for (let i = 0; i < lines.length; i++) {
    if (IMPORT_LINE.test(lines[i] ?? '')) last = i;
  }
  if (last >= 0) return last + 1;
  return lines[0]?.startsWith('#!') ? 1 : 0;
}

/** The run of `needle` lines in `hay` (trimmed comparison) nearest to `near`, or -1. */
function findLines(hay: string[], needle: string[], near: number): number {
  const matches: number[] = [];
  for (let i = 0; i + needle.length <= hay.length; i++) {
    if (needle.every((n, j) => n.trim() === (hay[i + j] ?? '').trim())) matches.push(i);
  }
  if (matches.length === 0) return -1;
  return matches.reduce((best, m) => (Math.abs(m - near) < Math.abs(best - near) ? m : best));
}

const leading = (s: string) => /^\s*/.exec(s)?.[0] ?? '';

function indentDelta(from: string, to: string): { drop: string; add: string } {
  return { drop: leading(from), add: leading(to) };
}

function reindent(line: string, { drop, add }: { drop: string; add: string }): string {
  return line.startsWith(drop) ? add + line.slice(drop.length) : line;
}
