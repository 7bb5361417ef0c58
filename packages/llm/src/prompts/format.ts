import { DEFAULT_ENTRIES, type Language, type ProjectFile, TEST_FILE_NAMING } from '@hardfix/contracts';
import { adapterOf, languageOfPath, perLanguage } from '@hardfix/languages';

/** A fence longer than any backtick run in the content, so code containing ``` cannot end it early. */
export function fenced(content: string, info = ''): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content.replace(/\n$/, '')}\n${fence}`;
}

export function fenceLanguage(path: string): string {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  // A language's own extension names it (`.mjs` → javascript); any other is its own name.
  return (ext && languageOfPath(`file.${ext}`)) ?? ext ?? '';
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

/** What the verifier accepts per language (README, "The sandbox"): each adapter's prompt.rules. */
export const LANGUAGE_RULES = perLanguage((a) => a.prompt.rules);

/**
 * The rules every generated program must follow, shared by generation and smart retry. Generation
 * writes the tests; a smart retry gets them as fixed (`testsRule` says how).
 */
export function programRules(language: Language, testsRule?: string, policy?: DependencyPolicy): string {
  return [
    `- ${LANGUAGE_RULES[language]}`,
    `- ${dependencyRule(language, policy)}`,
    '- Write the complete project: every file in full, no placeholders, no TODOs, no "rest of code here".',
    '- Running the entry file with no arguments must finish on its own and exit with status 0.',
    '- Do not read standard input, do not use the network, do not need environment variables or files outside the project.',
    testsRule ??
      `- Include a small test file, ${TEST_FILE_NAMING[language]}, that checks the behaviour the request states (real inputs and expected outputs, not just that the code runs). The tests are run before the entry file and must pass; they become the project's specification.`,
    `- Only set \`entry\` if the entry file is not ${DEFAULT_ENTRIES[language].join(' or ')}.`,
  ].join('\n');
}

/**
 * Which packages a project may declare (DEPENDENCIES, DEPENDENCY_ALLOWLIST): `off` is the standard
 * library only; `any` is whatever the index has; a list names the allowed packages.
 */
export type DependencyPolicy =
  | { mode: 'off' }
  | { mode: 'any' }
  | { mode: 'list'; allowed: readonly string[] };

/** The prompts' statement of the dependency policy for a language (absent policy: standard library only). */
export function dependencyRule(language: Language, policy: DependencyPolicy = { mode: 'off' }): string {
  const rule = adapterOf(language).dependencies?.prompt;
  if (!rule) return 'Standard library only: no third-party packages, no build tool.';
  if (policy.mode === 'off') return `${rule.what} only: no third-party packages (a declared one is refused).`;
  const which =
    policy.mode === 'any'
      ? 'Third-party packages may be used:'
      : `Only these third-party packages may be used (any other is refused): ${policy.allowed.join(', ')};`;
  return `${which} ${rule.how}. They are installed before the run; the program itself has no network.`;
}
