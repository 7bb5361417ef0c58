import type { Language } from '@hardfix/contracts';

/**
 * Every user message starts with these two lines. The simulated Claude of @hardfix/testkit parses them
 * (and the `## Request` section and `<block>` markers below), so keep the format in step with it.
 */
export function projectHeader(name: string, language: Language): string {
  return `Project: ${name}\nLanguage: ${language}`;
}

/** The opening every request-driven prompt shares: the header and the user's request. */
export function requestIntro(name: string, language: Language, request: string): string[] {
  return [projectHeader(name, language), '', '## Request', request.trim()];
}

export interface Prompt {
  system: string;
  /** The part of the user message that changes between a project's calls. */
  user: string;
  /** The start of the user message that repeats across a project's calls; sent for prompt caching. */
  context?: string;
}
