import type { CodeBlock } from '../types.js';

/**
 * The lines around `line` (1-based) in `file`: `context` before and after, clamped to the file.
 * Undefined when the file is not in the project or the line is outside it.
 */
export function extractCodeBlock(
  files: { path: string; content: string }[],
  file: string,
  line: number,
  context = 5,
): CodeBlock | undefined {
  const source = files.find((f) => f.path === file);
  if (!source) return undefined;
  const lines = source.content.split('\n');
  // A trailing newline does not make a last, empty line.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (line < 1 || line > lines.length) return undefined;
  const startLine = Math.max(1, line - context);
  const endLine = Math.min(lines.length, line + context);
  return { file, startLine, endLine, code: lines.slice(startLine - 1, endLine).join('\n') };
}
