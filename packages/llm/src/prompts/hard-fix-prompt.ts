import type { CodeBlock, Language, StrategyTier } from '@hardfix/contracts';
import { fenced, fenceLanguage, numberedLines } from './format.js';
import { type Prompt, projectHeader } from './project-header.js';
import { TIER_INSTRUCTIONS } from './strategy-tiers.js';

export interface HardFixPromptInput {
  name: string;
  language: Language;
  tier: StrategyTier;
  attemptNumber: number;
  error: { type: string; message: string; file?: string | undefined; line?: number | undefined };
  block: CodeBlock;
  /** The whole file the block is in, for context. */
  fileContent?: string | undefined;
  /** Replacements already tried for this block that did not verify, oldest first. */
  previousCandidates: readonly string[];
}

const TIER_ATTEMPTS: Record<StrategyTier, string> = {
  conservative: '1-5',
  moderate: '6-10',
  aggressive: '11-15',
  nuclear: '16 and later',
};

/** Older candidates add tokens but little signal once the recent ones are shown. */
const MAX_CANDIDATES_SHOWN = 8;

export const HARD_FIX_SYSTEM =
  'You repair one failing block of code in an otherwise finished project. Your replacement is pasted ' +
  'over the exact line range shown, then the project is run again. You answer only by calling the ' +
  'replace_block tool.';

function candidatesSection(candidates: readonly string[], language: Language): string {
  if (candidates.length === 0) return '';
  const shown = candidates.slice(-MAX_CANDIDATES_SHOWN);
  const skipped = candidates.length - shown.length;
  return [
    `## Earlier replacements that did not work (${candidates.length}) — do not repeat them`,
    skipped > 0 ? `(${skipped} older one(s) not shown)` : '',
    ...shown.map((code, i) => `### Candidate ${skipped + i + 1}\n${fenced(code, language)}`),
  ]
    .filter(Boolean)
    .join('\n\n');
}

export function hardFixPrompt(input: HardFixPromptInput): Prompt {
  const { name, language, tier, attemptNumber, error, block, fileContent, previousCandidates } = input;
  const range = `${block.file} lines ${block.startLine}-${block.endLine}`;
  const where = [error.file, error.line === undefined ? undefined : `line ${error.line}`]
    .filter(Boolean)
    .join(' ');
  const sections = [
    projectHeader(name, language),
    `## Strategy: ${tier} (hard-fix attempt ${attemptNumber}; ${tier} covers attempts ${TIER_ATTEMPTS[tier]})\n${TIER_INSTRUCTIONS[tier]}`,
    `## Error\n${error.type}: ${error.message}${where ? `\nAt: ${where}` : ''}`,
    `## Block to replace: ${range}\n<block>\n${numberedLines(block.code, block.startLine)}\n</block>`,
    fileContent === undefined
      ? ''
      : `## The whole file ${block.file}, for context\n${fenced(numberedLines(fileContent, 1), fenceLanguage(block.file))}`,
    candidatesSection(previousCandidates, language),
    [
      '## Answer',
      `Call replace_block with \`code\`: the new text for ${range}, complete and without line numbers.`,
      '- It replaces exactly those lines; everything outside the range stays as it is, so do not repeat lines before or after it and keep the indentation of the surrounding code.',
      '- If the error comes from a missing import, import inside the block or use a fully qualified name: lines outside the range cannot change.',
      '- The result must run with the standard library only, without reading standard input or using the network.',
    ].join('\n'),
  ];
  const user = sections.filter(Boolean).join('\n\n');
  return { system: HARD_FIX_SYSTEM, user };
}
