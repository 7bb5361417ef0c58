import type { Language } from '@hardfix/contracts';
import { attemptsSection, type FailedAttempt } from './attempts-section.js';
import { type Prompt, requestIntro } from './project-header.js';

export interface AnalysisPromptInput {
  name: string;
  language: Language;
  request: string;
  attempts: readonly FailedAttempt[];
}

export const ANALYSIS_SYSTEM =
  'You are a senior engineer reviewing failed attempts of a code generator. You find the root cause ' +
  'shared by the failures and a concrete plan for one more attempt. You answer only by calling the ' +
  'report_analysis tool.';

export function analysisPrompt({ name, language, request, attempts }: AnalysisPromptInput): Prompt {
  const user = [
    ...requestIntro(name, language, request),
    '',
    `## Failed attempts (${attempts.length})`,
    attemptsSection(attempts),
    '',
    '## Your report',
    '- diagnosis: the root cause of the failures (name the file, line and construct when you can), and why the earlier attempts repeated it.',
    '- plan: the concrete changes the next attempt must make, step by step, so that its tests pass (they are the specification: the next attempt may not change them) and the program runs and exits 0.',
    '- confidence: from 0 to 1, how likely one more attempt that follows the plan is to work. Be honest: a low value sends the project to targeted block repair instead.',
    '',
    'Call report_analysis.',
  ].join('\n');
  return { system: ANALYSIS_SYSTEM, user };
}
