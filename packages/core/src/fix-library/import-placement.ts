import type { Language } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';

/** A line that imports something, in the language (indented ones too: a local import). */
export function importLineOf(language: Language): RegExp {
  return adapterOf(language).editPatterns.importLine;
}

/**
 * The line index where a new top-level import goes: after the file's last top-level import, else after
 * its preamble (shebang, comments, a module docstring, 'use strict', the package line), else at the top.
 */
export function importInsertionIndex(lines: string[], language: Language): number {
  let lastImport = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s/.test(line)) continue;
    if (importLineOf(language).test(line)) lastImport = i;
  }
  if (lastImport >= 0) return lastImport + 1;
  let at = 0;
  while (at < lines.length) {
    const line = (lines[at] ?? '').trim();
    if (line === '' || adapterOf(language).editPatterns.preamble.test(line)) {
      at++;
      continue;
    }
    if (adapterOf(language).editPatterns.tripleQuotedStrings && /^[rbu]?("""|''')/i.test(line)) {
      at = docstringEnd(lines, at) + 1;
      continue;
    }
    if (adapterOf(language).editPatterns.comments === 'c' && line.startsWith('/*')) {
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
