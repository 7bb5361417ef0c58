/**
 * Function extents found from the text alone, for any language: by indentation where a definition
 * opens with `def`/`class` and a colon (python), by braces otherwise (javascript, java, and the
 * brace languages added later). No parser per language: the blocks it finds are only where hard fix
 * looks, and a wrong extent costs a wider or narrower block, never a wrong edit.
 */
export interface LineRange {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

const INDENT_DEF = /^(\s*)(?:async\s+)?(?:def|class)\s+\w+.*:\s*(?:#.*)?$/;
const CONTROL = /^\s*(?:\}\s*)?(?:if|for|while|switch|catch|else|do|try|finally|return|synchronized)\b/;
/**
 * A brace-language header: a name, a parameter list, a return type (java's `throws`, typescript's `: T`,
 * go's bare `int` / `[]string` / `*T`), and the body's brace on this or the next line.
 */
const BRACE_HEADER =
  /[\w$>\]=]\s*(?:async\s*)?\([^;]*\)\s*(?:throws\s+[\w.,\s]+|:\s*[\w<>[\]|., ]+|[\w.*[\]]+)?\s*(?:=>\s*)?\{?\s*$/;
const MAX_UP = 400;

/** The innermost function (or class, when no function) around `line`, or undefined. */
export function enclosingFunction(content: string, line: number): LineRange | undefined {
  const lines = splitLines(content);
  if (line < 1 || line > lines.length) return undefined;
  return indentEnclosing(lines, line) ?? braceEnclosing(lines, line);
}

/** The extent of a definition starting at `startLine` (its header), or undefined when none starts there. */
export function definitionAt(content: string, startLine: number): LineRange | undefined {
  const lines = splitLines(content);
  const header = lines[startLine - 1] ?? '';
  if (INDENT_DEF.test(header)) return { startLine, endLine: indentEnd(lines, startLine - 1) + 1 };
  if (!isBraceHeader(lines, startLine - 1)) return undefined;
  const end = braceEnd(lines, startLine - 1);
  return end === undefined ? undefined : { startLine, endLine: end + 1 };
}

function indentEnclosing(lines: string[], line: number): LineRange | undefined {
  const own = indentOf(lines[line - 1] ?? '');
  for (let i = line - 1, limit = own + 1; i >= 0 && line - i < MAX_UP; i--) {
    const text = lines[i] ?? '';
    const m = INDENT_DEF.exec(text);
    if (!m || (m[1] ?? '').length >= limit) continue;
    const end = indentEnd(lines, i);
    if (end + 1 >= line) return { startLine: i + 1, endLine: end + 1 };
    limit = (m[1] ?? '').length;
  }
  return undefined;
}

function indentEnd(lines: string[], at: number): number {
  const indent = indentOf(lines[at] ?? '');
  let end = at;
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (l.trim() === '') continue;
    if (indentOf(l) <= indent) break;
    end = i;
  }
  return end;
}

function braceEnclosing(lines: string[], line: number): LineRange | undefined {
  for (let i = line - 1; i >= 0 && line - i < MAX_UP; i--) {
    if (!isBraceHeader(lines, i)) continue;
    const end = braceEnd(lines, i);
    if (end !== undefined && end + 1 >= line) return { startLine: i + 1, endLine: end + 1 };
  }
  return undefined;
}

function isBraceHeader(lines: string[], at: number): boolean {
  const text = (lines[at] ?? '').replace(/\/\/.*$/, '');
  if (CONTROL.test(text) || !BRACE_HEADER.test(text)) return false;
  return text.trimEnd().endsWith('{') || /^\s*\{/.test(lines[at + 1] ?? '');
}

/** The line of the brace that closes the body opened at (or just after) `at`. */
function braceEnd(lines: string[], at: number): number | undefined {
  let depth = 0;
  let opened = false;
  for (let i = at; i < lines.length; i++) {
    for (const ch of stripStrings(lines[i] ?? '')) {
      if (ch === '{') {
        depth++;
        opened = true;
      } else if (ch === '}') depth--;
    }
    if (opened && depth <= 0) return i;
  }
  return undefined;
}

function stripStrings(line: string): string {
  return line.replace(/\/\/.*$/, '').replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\])*`/g, '""');
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)?.[0].length ?? 0;
}

export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
