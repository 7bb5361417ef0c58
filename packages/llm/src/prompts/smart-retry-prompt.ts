import type { Language } from '@hardfix/contracts';
import { attemptsSection, type FailedAttempt } from './attempts-section.js';
import { programRules } from './format.js';
import { GENERATION_SYSTEM } from './generation-prompt.js';
import { type Prompt, requestIntro } from './project-header.js';

export interface SmartRetryPromptInput {
  name: string;
  language: Language;
  request: string;
  attempts: readonly FailedAttempt[];
  analysis: { diagnosis: string; plan: string };
}

export function smartRetryPrompt({
  name,
  language,
  request,
  attempts,
  analysis,
}: SmartRetryPromptInput): Prompt {
  const user = [
    ...requestIntro(name, language, request),
    '',
    '## Rules',
    programRules(language),
    '',
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
    '- Prefer the simplest design that satisfies the request over a complete but fragile one.',
    '- Check every import, name and bracket before answering: the program is run exactly as you write it.',
    '',
    'Call write_files with the whole corrected project.',
  ].join('\n');
  return { system: GENERATION_SYSTEM, user };
}
