import {
  type CodeBlock,
  DEFAULT_ENTRIES,
  type Failure,
  isTestFile,
  type Language,
  type ProjectFile,
} from '@hardfix/contracts';
import { errorSignature, isReusableError } from './signature.js';
import { signatureInputOf } from './signature-scope.js';

/**
 * The block hard fix works on: the extracted block around the failing line when the error has one;
 * otherwise (a timeout, a missing entry point, an error without a location) the whole failing file, or
 * the entry file — the only honest range to hand over when nothing narrower is known. Never a test
 * file while the project has other files: tests are the spec, and a candidate that edits one is refused.
 */
export function blockFor(
  failure: Failure,
  files: ProjectFile[],
  language: Language,
  entry?: string,
): CodeBlock {
  const code = (path: string) => !isTestFile(language, path);
  if (failure.block && code(failure.block.file)) return failure.block;
  const candidates = [failure.file, entry, ...DEFAULT_ENTRIES[language]].filter((p): p is string => !!p);
  const file =
    candidates
      .filter(code)
      .map((p) => files.find((f) => f.path === p))
      .find((f) => f) ??
    files.find((f) => code(f.path)) ??
    candidates.map((p) => files.find((f) => f.path === p)).find((f) => f) ??
    files[0];
  if (!file)
    return {
      file: candidates[0] ?? DEFAULT_ENTRIES[language][0],
      startLine: 1,
      endLine: 1,
      code: '',
    };
  const lines = splitLines(file.content);
  return { file: file.path, startLine: 1, endLine: Math.max(1, lines.length), code: lines.join('\n') };
}

/** Replaces lines startLine..endLine (1-based, inclusive) of the block's file with `code`. */
export function applyBlock(files: ProjectFile[], block: CodeBlock, code: string): ProjectFile[] {
  const replacement = splitLines(code);
  const exists = files.some((f) => f.path === block.file);
  if (!exists) return [...files, { path: block.file, content: `${replacement.join('\n')}\n` }];
  return files.map((f) => {
    if (f.path !== block.file) return f;
    const lines = splitLines(f.content);
    const trailingNewline = f.content.endsWith('\n');
    const next = [...lines.slice(0, block.startLine - 1), ...replacement, ...lines.slice(block.endLine)];
    return { path: f.path, content: next.join('\n') + (trailingNewline || next.length ? '\n' : '') };
  });
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * What stands in a block's place in a later version of its file: the same start line, stretched or
 * shrunk by the change in the file's length. Exact when every edit since fell inside the block (which
 * is what block replacement does); undefined when the file is gone.
 */
export function regionAfter(
  block: CodeBlock,
  before: ProjectFile[],
  after: ProjectFile[],
): string | undefined {
  const old = before.find((f) => f.path === block.file);
  const now = after.find((f) => f.path === block.file);
  if (!now) return undefined;
  const nowLines = splitLines(now.content);
  if (!old) return nowLines.join('\n');
  const delta = nowLines.length - splitLines(old.content).length;
  const end = block.endLine + delta;
  if (end < block.startLine - 1) return nowLines.join('\n');
  return nowLines.slice(block.startLine - 1, end).join('\n');
}

export interface ProvenFixCode {
  signature: string;
  errorType: string;
  /** The error it repaired, and where (see SignatureInput.scope). */
  errorMessage: string;
  errorScope: string | undefined;
  /** The failing block. */
  originalCode: string;
  /** What stands in its place in the working version. */
  workingCode: string;
}

/**
 * A fix as the library keeps it, from the failure it fixed, the files that failed and the files that
 * work: the failing block (see blockFor) and what replaced it (see regionAfter). Used for fixes found
 * by hard fix and by reviewers alike, so both are replayed the same way. Undefined when the failing
 * file is gone from the working version, or when the error names no mistake and has no scope (such a
 * fix would be offered to unrelated programs; see isReusableError).
 */
export function provenFixCode(
  failure: Failure,
  before: ProjectFile[],
  after: ProjectFile[],
  language: Language,
  entry?: string,
  /**
   * The range the working candidate replaced. Hard fix moves its block (localise/): when the repair
   * landed outside the failing block, the fix is that range, or the library would keep a no-op.
   */
  patched?: Pick<CodeBlock, 'file' | 'startLine' | 'endLine'>,
): ProvenFixCode | undefined {
  const input = signatureInputOf(language, failure);
  if (!isReusableError(input)) return undefined;
  const failing = blockFor(failure, before.length ? before : after, language, entry);
  const inside =
    !patched ||
    (patched.file === failing.file &&
      patched.startLine >= failing.startLine &&
      patched.endLine <= failing.endLine);
  const block = inside ? failing : rangeIn(before.length ? before : after, patched);
  const workingCode = regionAfter(block, before, after);
  if (workingCode === undefined) return undefined;
  return {
    signature: errorSignature(input),
    errorType: failure.type,
    errorMessage: failure.message,
    errorScope: input.scope,
    originalCode: block.code,
    workingCode,
  };
}

/** A range of a file as a block, with its text in `files`. */
function rangeIn(files: ProjectFile[], range: Pick<CodeBlock, 'file' | 'startLine' | 'endLine'>): CodeBlock {
  const lines = splitLines(files.find((f) => f.path === range.file)?.content ?? '');
  return { ...range, code: lines.slice(range.startLine - 1, range.endLine).join('\n') };
}
