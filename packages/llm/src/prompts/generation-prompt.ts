import type { Language } from '@hardfix/contracts';
import { type DependencyPolicy, programRules } from './format.js';
import { type Prompt, requestIntro } from './project-header.js';

export interface GenerationPromptInput {
  name: string;
  language: Language;
  request: string;
  /** Which packages may be declared; absent: the standard library only. */
  dependencies?: DependencyPolicy | undefined;
}

export const GENERATION_SYSTEM =
  'You are a senior software engineer. You write small, complete, runnable projects that work on the ' +
  'first run. You answer only by calling the write_files tool with every file of the project.';

export function generationPrompt({ name, language, request, dependencies }: GenerationPromptInput): Prompt {
  // Attempts 1..NORMAL_RETRIES send the same request: all of it but the last line is cached.
  const context = [
    ...requestIntro(name, language, request),
    '',
    '## Rules',
    programRules(language, undefined, dependencies),
  ].join('\n');
  return {
    system: GENERATION_SYSTEM,
    context,
    user: 'Call write_files with the whole project, its test file included.',
  };
}
