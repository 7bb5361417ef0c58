import { isTestFile, type Language } from '@hardfix/contracts';
import { extractCodeBlock } from '../extract/code-block.js';
import { extractError } from '../extract/extract-error.js';
import type { CodeBlock, ExtractedError, FailingTest } from '../types.js';

type Files = { path: string; content: string }[];

/** The longest block handed over for a definition; a longer function is cut there. */
const MAX_DEFINITION_LINES = 80;

export interface LocateOptions {
  language: Language;
  /** The failing test step's output, without the runner's bookkeeping lines. */
  output: string;
  /** The same with them (the java runner names the failing class there). */
  rawOutput: string;
  files: Files;
  roots: string[];
  fallbackType: string;
  /** The entry file: the last resort when nothing narrower points at the code under test. */
  entry: string | undefined;
}

/**
 * Tests are the spec, so a failure must never send hard fix into a test file. When the extracted
 * location is in a test, this moves it to the code under test: the project's own non-test frame
 * nearest the failure (the same extraction over the non-test files only); else the definition of a
 * function the failing test line calls; else the entry file as a whole. The test's name, location and
 * asserting line are kept in `test` for the prompt.
 */
export function locateCodeUnderTest(error: ExtractedError, opts: LocateOptions): ExtractedError {
  const name = failingTestName(opts.language, opts.rawOutput);
  const inTest = error.file !== undefined && isTestFile(opts.language, error.file);
  if (!inTest) return name ? { ...error, test: { name } } : error;

  const testFile = error.file as string;
  const assertion = lineOf(opts.files, testFile, error.line);
  const test: FailingTest = {
    ...(name ? { name } : {}),
    file: testFile,
    ...(error.line ? { line: error.line } : {}),
    ...(assertion ? { assertion } : {}),
  };
  const { file: _f, line: _l, block: _b, ...rest } = error;
  const code = opts.files.filter((f) => !isTestFile(opts.language, f.path));
  if (code.length === 0) return { ...error, test };

  const nearest = extractError(opts.language, opts.output, code, {
    roots: opts.roots,
    fallbackType: opts.fallbackType,
  });
  if (nearest.file !== undefined) {
    const { file, line, block } = nearest;
    return { ...rest, file, ...(line ? { line } : {}), ...(block ? { block } : {}), test };
  }
  const testLines = opts.files.find((f) => f.path === testFile)?.content.split('\n') ?? [];
  const definition = calledDefinition(opts.language, linesUpTo(testLines, error.line), code);
  if (definition)
    return { ...rest, file: definition.file, line: definition.startLine, block: definition, test };
  const fallback = code.find((f) => f.path === opts.entry) ?? code[0];
  return { ...rest, ...(fallback ? { file: fallback.path } : {}), test };
}

function lineOf(files: Files, path: string, line: number | undefined): string | undefined {
  if (line === undefined) return undefined;
  const text = files
    .find((f) => f.path === path)
    ?.content.split('\n')
    [line - 1]?.trim();
  return text || undefined;
}

/**
 * The failing test as its runner names it: the one whose failure was extracted (python: the last
 * traceback, so the last FAIL/ERROR header; node and java: the first failure).
 */
export function failingTestName(language: Language, output: string): string | undefined {
  const m =
    language === 'python'
      ? [...output.matchAll(/^(?:FAIL|ERROR): (.+)$/gm)].at(-1)
      : language === 'javascript'
        ? /^\s*not ok \d+ - (.*?)(?:\s+#.*)?$/m.exec(output)
        : /^\[hardfix-test\] failed (\S+)$/m.exec(output);
  return m?.[1]?.trim() || undefined;
}

const CALL = /([A-Za-z_$][\w$]*)\s*\(/g;
/** Where a test begins: its function, so the search does not wander into the previous test. */
const TEST_START = /^\s*(?:def |(?:public |static |void )+\w+\s*\(|(?:it|test|describe)\s*\()/;
/** How far back from the asserting line the search for the code under test looks. */
const MAX_LINES_BACK = 15;

/** The asserting line first, then the lines above it back to the start of the test. */
function linesUpTo(lines: string[], line: number | undefined): string[] {
  if (line === undefined) return [];
  const out: string[] = [];
  for (let i = line - 1; i >= 0 && out.length < MAX_LINES_BACK; i--) {
    const text = lines[i] ?? '';
    out.push(text);
    if (TEST_START.test(text)) break;
  }
  return out;
}

const DEFINITION: Record<Language, (name: string) => RegExp> = {
  python: (n) => new RegExp(`^\\s*(?:async\\s+)?(?:def|class)\\s+${n}\\b`),
  javascript: (n) =>
    new RegExp(
      `(?:\\bfunction\\s*\\*?\\s*${n}\\s*\\(|\\b(?:const|let|var)\\s+${n}\\s*=|^\\s*(?:static\\s+)?(?:async\\s+)?${n}\\s*\\([^)]*\\)\\s*\\{|\\bclass\\s+${n}\\b)`,
    ),
  java: (n) => new RegExp(`(?:\\b[\\w<>\\[\\],]+\\s+${n}\\s*\\([^;]*$|\\bclass\\s+${n}\\b)`),
};

/**
 * The definition, in the project's non-test code, of the first name called nearest the failure that
 * the project defines: on the asserting line (`add` in `self.assertEqual(calc.add(1, 2), 3)`), else
 * on the lines of the test above it (`text = render(...)` before `self.assertIn("x", text)`).
 */
function calledDefinition(language: Language, testLines: string[], code: Files): CodeBlock | undefined {
  for (const text of testLines) {
    const found = definitionCalledOn(language, text, code);
    if (found) return found;
  }
  return undefined;
}

function definitionCalledOn(language: Language, text: string, code: Files): CodeBlock | undefined {
  for (const m of text.matchAll(CALL)) {
    const name = m[1] as string;
    const pattern = DEFINITION[language](name.replaceAll('$', '\\$'));
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
  if (language === 'python') {
    const indent = /^\s*/.exec(lines[at] ?? '')?.[0].length ?? 0;
    for (let i = at + 1; i < lines.length; i++) {
      const l = lines[i] ?? '';
      if (l.trim() === '') continue;
      if ((/^\s*/.exec(l)?.[0].length ?? 0) <= indent) break;
      end = i;
    }
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
