import type { Failure, Language, ProjectFile } from '@hardfix/contracts';

export interface ManualFixCode {
  workingCode: string;
  originalCode?: string;
}

/** The worker's fallback order when a failure has no location (see its code-block.ts). */
const DEFAULT_ENTRY: Record<Language, string[]> = {
  python: ['main.py'],
  javascript: ['index.js', 'main.js'],
  java: ['Main.java'],
};

/**
 * What the reviewer put where the failing block was, so the library can replay it the way hard fix
 * applies a fix: as a replacement of that block. Lines added or removed in the file are assumed to be
 * inside the block (the usual case for a targeted fix), so the block's end moves by the file's change
 * in length. Without a block, or when the file is new, the whole new file is the fix (hard fix then
 * replaces the whole file too). Undefined when no file of the new version matches the failure.
 */
export function manualFixCode(
  failure: Failure,
  before: ProjectFile[],
  after: ProjectFile[],
  language: Language,
  entry?: string,
): ManualFixCode | undefined {
  const block = failure.block;
  const candidates = block
    ? [block.file]
    : [failure.file, entry, ...DEFAULT_ENTRY[language]].filter((p): p is string => !!p);
  const newFile = candidates.map((p) => after.find((f) => f.path === p)).find((f) => f);
  if (!newFile) return undefined;
  const original = block ? { originalCode: block.code } : {};
  const oldFile = before.find((f) => f.path === newFile.path);
  if (!block || !oldFile) return { workingCode: newFile.content, ...original };

  const oldLines = splitLines(oldFile.content);
  const newLines = splitLines(newFile.content);
  const end = block.endLine + (newLines.length - oldLines.length);
  // end < startLine: the reviewer deleted the block (and maybe more); the fix is "nothing here".
  const workingCode = newLines.slice(block.startLine - 1, Math.max(end, block.startLine - 1)).join('\n');
  return { workingCode, ...original };
}

/** Lines as the worker counts them: a final newline does not start another line. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
