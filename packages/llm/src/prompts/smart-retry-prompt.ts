import type { Language, ProjectFile } from '@hardfix/contracts';
import { attemptsSection, type FailedAttempt } from './attempts-section.js';
import { type DependencyPolicy, filesSection, programRules } from './format.js';
import { GENERATION_SYSTEM } from './generation-prompt.js';
import { type Prompt, requestIntro } from './project-header.js';

export interface SmartRetryPromptInput {
  name: string;
  language: Language;
  request: string;
  attempts: readonly FailedAttempt[];
  analysis: { diagnosis: string; plan: string };
  /** The project's test files (the spec, fixed since generation); empty when it has none. */
  tests: readonly ProjectFile[];
  /** Which packages may be declared; absent: the standard library only. */
  dependencies?: DependencyPolicy | undefined;
}

/** What a smart retry may do with the tests: nothing. */
export function frozenTestsRule(tests: readonly ProjectFile[]): string {
  return tests.length > 0
    ? `- The test files (${tests.map((t) => t.path).join(', ')}) are the specification and are fixed: do not change, add or delete test files. Leave them out of your answer; they are kept exactly as they are. A project that changes them is refused.`
    : '- This project has no test files, and none may be added now: it is verified by running the entry file.';
}

export function smartRetryPrompt({
  name,
  language,
  request,
  attempts,
  analysis,
  tests,
  dependencies,
}: SmartRetryPromptInput): Prompt {
  const context = [
    ...requestIntro(name, language, request),
    '',
    '## Rules',
    programRules(language, frozenTestsRule(tests), dependencies),
    ...(tests.length > 0 ? ['', '## Tests (the specification, fixed)', filesSection(tests)] : []),
  ].join('\n');
  const user = [
    `## Why the previous ${attempts.length} attempt(s) failed`,
    analysis.diagnosis.trim(),
    '',
    '## Plan you must follow',
    analysis.plan.trim(),
    '',
    '## Failed attempts',
    attemptsSection(attempts),
    '',
    '## What to change',
    '- Follow the plan above. Do not repeat the code that produced these errors; change the parts they point to.',
    '- Prefer the simplest design that satisfies the request and passes the tests over a complete but fragile one; never drop behaviour the request asks for.',
    '- Check every import, name and bracket before answering: the program is run exactly as you write it.',
    '',
    'Call write_files with the whole corrected project (without the test files).',
  ].join('\n');
  return { system: GENERATION_SYSTEM, context, user };
}
