import { DEFAULT_ENTRIES, type Language, type ProjectFile, TEST_FILE_NAMING } from '@hardfix/contracts';
import { perLanguage } from '@hardfix/languages';

/** A fence longer than any backtick run in the content, so code containing ``` cannot end it early. */
export function fenced(content: string, info = ''): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content.replace(/\n$/, '')}\n${fence}`;
}

export function fenceLanguage(path: string): string {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext === 'py'
    ? 'python'
    : ext === 'js' || ext === 'mjs' || ext === 'cjs'
      ? 'javascript'
      : (ext ?? '');
}

/** `  12 | code` lines; the gutter is wide enough for the last number so the code stays aligned. */
export function numberedLines(code: string, startLine: number): string {
  const lines = code.replace(/\n$/, '').split('\n');
  const width = String(startLine + lines.length - 1).length;
  return lines.map((line, i) => `${String(startLine + i).padStart(width)} | ${line}`).join('\n');
}

/** A failing test as the prompts show it (the sandbox's FailingTest). */
export interface FailingTestInfo {
  name?: string | undefined;
  file?: string | undefined;
  line?: number | undefined;
  /** The source line that asserted. */
  assertion?: string | undefined;
}

/** "main.py line 4", "main.py", or "" when neither is known. */
export function fileAndLine(file: string | undefined, line: number | undefined): string {
  return [file, line === undefined ? undefined : `line ${line}`].filter(Boolean).join(' ');
}

/** The end of a run's output: where the error is. */
export function outputTail(output: string, max = 3_000): string {
  const trimmed = output.trim();
  return trimmed.length > max ? `…${trimmed.slice(-max)}` : trimmed;
}

export function filesSection(files: readonly ProjectFile[]): string {
  return files.map((f) => `### ${f.path}\n${fenced(f.content, fenceLanguage(f.path))}`).join('\n\n');
}

/** What the verifier accepts per language (README, "The sandbox"; packages/sandbox/src/verify). */
export const LANGUAGE_RULES: Readonly<Record<Language, string>> = perLanguage((a) => a.prompt.rules);

/**
 * The rules every generated program must follow, shared by generation and smart retry. Generation
 * writes the tests; a smart retry gets them as fixed (`testsRule` says how).
 */
export function programRules(language: Language, testsRule?: string): string {
  return [
    `- ${LANGUAGE_RULES[language]}`,
    '- Write the complete project: every file in full, no placeholders, no TODOs, no "rest of code here".',
    '- Running the entry file with no arguments must finish on its own and exit with status 0.',
    '- Do not read standard input, do not use the network, do not need environment variables or files outside the project.',
    testsRule ??
      `- Include a small test file, ${TEST_FILE_NAMING[language]}, that checks the behaviour the request states (real inputs and expected outputs, not just that the code runs). The tests are run before the entry file and must pass; they become the project's specification.`,
    `- Only set \`entry\` if the entry file is not ${DEFAULT_ENTRIES[language].join(' or ')}.`,
  ].join('\n');
}
