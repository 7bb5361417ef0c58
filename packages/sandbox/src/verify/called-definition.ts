import type { Language } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import { extractCodeBlock } from '../extract/lines-around.js';
import type { CodeBlock } from '../types.js';

type Files = { path: string; content: string }[];

/** The longest block handed over for a definition; a longer function is cut there. */
const MAX_DEFINITION_LINES = 80;

const CALL = /([A-Za-z_$][\w$]*)\s*\(/g;
/** Where a test begins: its function, so the search does not wander into the previous test. */
const TEST_START = /^\s*(?:def |(?:public |static |void )+\w+\s*\(|(?:it|test|describe)\s*\()/;
/** How far back from the asserting line the search for the code under test looks. */
const MAX_LINES_BACK = 15;

/** The asserting line first, then the lines above it back to the start of the test. */
export function linesUpTo(lines: string[], line: number | undefined): string[] {
  if (line === undefined) return [];
  const out: string[] = [];
  for (let i = line - 1; i >= 0 && out.length < MAX_LINES_BACK; i--) {
    const text = lines[i] ?? '';
    out.push(text);
    if (TEST_START.test(text)) break;
  }
  return out;
}

/**
 * The definition, in the project's non-test code, of the first name called nearest the failure that
 * the project defines: on the asserting line (`add` in `self.assertEqual(calc.add(1, 2), 3)`), else
 * on the lines of the test above it (`text = render(...)` before `self.assertIn("x", text)`).
 */
export function calledDefinition(
  language: Language,
  testLines: string[],
  code: Files,
): CodeBlock | undefined {
  for (const text of testLines) {
    const found = definitionCalledOn(language, text, code);
    if (found) return found;
  }
  return undefined;
}

function definitionCalledOn(language: Language, text: string, code: Files): CodeBlock | undefined {
  for (const m of text.matchAll(CALL)) {
    const name = m[1] as string;
    const pattern = adapterOf(language).errors.definition(name.replaceAll('$', '\\$'));
    for (const file of code) {
      const lines = file.content.split('\n');
      const at = lines.findIndex((l) => pattern.test(l) && !/^\s*(?:#|\/\/)/.test(l));
      if (at >= 0) return definitionBlock(language, file, lines, at);
    }
  }
  return undefined;
}

/** From the definition line to the end of its body: by indentation in python, by braces otherwise. */
function definitionBlock(
  language: Language,
  file: { path: string; content: string },
  lines: string[],
  at: number,
): CodeBlock | undefined {
  let end = at;
  if (adapterOf(language).errors.blocks === 'indent') {
    const indent = /^\s*/.exec(lines[at] ?? '')?.[0].length ?? 0;
    for (let i = at + 1; i < lines.length; i++) {
      const l = lines[i] ?? '';
      if (l.trim() === '') continue;
      if ((/^\s*/.exec(l)?.[0].length ?? 0) <= indent) break;
      end = i;
    }
  } else if (!(lines[at] ?? '').includes('{') && !/^\s*\{/.test(lines[at + 1] ?? '')) {
    // `add: (a, b) => a - b,` — a one-line definition without a body in braces.
    end = at;
  } else {
    let depth = 0;
    let opened = false;
    for (let i = at; i < lines.length; i++) {
      for (const ch of lines[i] ?? '') {
        if (ch === '{') {
          depth++;
          opened = true;
        } else if (ch === '}') depth--;
      }
      end = i;
      if (opened && depth <= 0) break;
    }
  }
  end = Math.min(end, at + MAX_DEFINITION_LINES - 1);
  const block = extractCodeBlock([file], file.path, at + 1, 0);
  if (!block) return undefined;
  return { ...block, endLine: end + 1, code: lines.slice(at, end + 1).join('\n') };
}
