import type { Language } from '@hardfix/contracts';

/** A line that imports something, in any of the languages (indented ones too: a local import). */
export const IMPORT_LINE: Record<Language, RegExp> = {
  python:
    /^\s*(?:import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*|from\s+[\w.]+\s+import\s+.+)\s*$/,
  javascript:
    /^\s*(?:(?:const|let|var)\s+[\w${},\s:]+=\s*require\(\s*(['"])[@\w./-]+\1\s*\)(?:\.[\w$]+)?;?|import\s+.+\s+from\s+(['"])[@\w./-]+\2;?|import\s+(['"])[@\w./-]+\3;?)\s*$/,
  java: /^\s*import\s+(?:static\s+)?[\w.]+(?:\.\*)?\s*;\s*$/,
};

// Top-level lines that may stand above the imports: shebang, encoding, comments, 'use strict', package.
const PREAMBLE: Record<Language, RegExp> = {
  python: /^(?:#.*|from\s+__future__\s+import\s+.+)$/,
  javascript: /^(?:#!.*|\/\/.*|(['"])use strict\1;?)$/,
  java: /^(?:package\s+[\w.]+\s*;|\/\/.*)$/,
};

/**
 * The line index where a new top-level import goes: after the file's last top-level import, else after
 * its preamble (shebang, comments, a module docstring, 'use strict', the package line), else at the top.
 */
export function importInsertionIndex(lines: string[], language: Language): number {
  let lastImport = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s/.test(line)) continue;
    if (IMPORT_LINE[language].test(line)) lastImport = i;
  }
  if (lastImport >= 0) return lastImport + 1;
  let at = 0;
  while (at < lines.length) {
    const line = (lines[at] ?? '').trim();
    if (line === '' || PREAMBLE[language].test(line)) {
      at++;
      continue;
    }
    if (language === 'python' && /^[rbu]?("""|''')/i.test(line)) {
      at = docstringEnd(lines, at) + 1;
      continue;
    }
    if (language !== 'python' && line.startsWith('/*')) {
      while (at < lines.length && !(lines[at] ?? '').includes('*/')) at++;
      at++;
      continue;
    }
    break;
  }
  // Keep blank lines below the preamble where they were: insert right after its last non-blank line.
  while (at > 0 && (lines[at - 1] ?? '').trim() === '') at--;
  return at;
}

function docstringEnd(lines: string[], start: number): number {
  const first = (lines[start] ?? '').trim();
  const quote = first.includes('"""') ? '"""' : "'''";
  const rest = first.slice(first.indexOf(quote) + 3);
  if (rest.includes(quote)) return start;
  for (let i = start + 1; i < lines.length; i++) if ((lines[i] ?? '').includes(quote)) return i;
  return lines.length - 1;
}
