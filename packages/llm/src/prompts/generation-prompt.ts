import type { Language } from '@hardfix/contracts';
import { programRules } from './format.js';
import { type Prompt, requestIntro } from './project-header.js';

export interface GenerationPromptInput {
  name: string;
  language: Language;
  request: string;
}

export const GENERATION_SYSTEM =
  'You are a senior software engineer. You write small, complete, runnable projects that work on the ' +
  'first run. You answer only by calling the write_files tool with every file of the project.';

export function generationPrompt({ name, language, request }: GenerationPromptInput): Prompt {
  const user = [
    ...requestIntro(name, language, request),
    '',
    '## Rules',
    programRules(language),
    '',
    'Call write_files with the whole project.',
  ].join('\n');
  return { system: GENERATION_SYSTEM, user };
}
