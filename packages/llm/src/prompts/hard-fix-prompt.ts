import type { CodeBlock, Language, ProjectFile, StrategyTier } from '@hardfix/contracts';
import {
  type FailingTestInfo,
  fenced,
  fenceLanguage,
  fileAndLine,
  filesSection,
  numberedLines,
  outputTail,
} from './format.js';
import { type Prompt, requestIntro } from './project-header.js';
import { TIER_INSTRUCTIONS } from './strategy-tiers.js';

export interface HardFixPromptInput {
  name: string;
  language: Language;
  /** What the user asked for (an imported project has none): the fix must still do all of it. */
  request?: string | undefined;
  tier: StrategyTier;
  attemptNumber: number;
  error: { type: string; message: string; file?: string | undefined; line?: number | undefined };
  /** The test that failed, when a test did: its name, and the line that asserted. */
  failingTest?: FailingTestInfo | undefined;
  /** The tail of the failing run's output. */
  output?: string | undefined;
  block: CodeBlock;
  /** The whole file the block is in, for context. */
  fileContent?: string | undefined;
  /** The project's test files: the spec, which the fix must pass and may not touch. */
  tests?: readonly ProjectFile[] | undefined;
  /** The project's other source files (neither the block's file nor tests), unchanged by repairs. */
  otherFiles?: readonly ProjectFile[] | undefined;
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

/**
 * Everything that does not change between attempts lives here or in the cached context, so attempts
 * 2..n pay the cache-read rate for it.
 */
export const HARD_FIX_SYSTEM = [
  'You repair one failing block of code in an otherwise finished project. Your replacement is pasted over',
  'the exact line range shown, then the project is verified again: its tests run first, then its entry file.',
  'You answer only by calling the replace_block tool.',
  '',
  'Rules that hold at every strategy tier:',
  '- The tests and the request are the specification. A simpler fix means a simpler way to pass the same',
  '  tests, never less behaviour: do not drop anything the request asks for, do not special-case test',
  '  inputs, do not silence errors to make the run exit 0.',
  '- The test files cannot be changed; a fix that needs them changed is refused.',
  '- The replacement covers exactly the shown lines; everything outside the range stays as it is, so do not',
  '  repeat lines before or after it and keep the indentation of the surrounding code.',
  '- If the error comes from a missing import, import inside the block or use a fully qualified name: lines',
  '  outside the range cannot change.',
  '- The result must run with the standard library only, without reading standard input or using the network.',
].join('\n');

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

function failingTestSection(test: HardFixPromptInput['failingTest']): string {
  if (!test) return '';
  const where = fileAndLine(test.file, test.line);
  return [
    '## Failing test',
    test.name ? `Test: ${test.name}` : '',
    where ? `In: ${where}` : '',
    test.assertion ? `Assertion: ${test.assertion}` : '',
    'Repair the code under test so this test passes; the test is right.',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * The cached context first (request, tests, untouched files: the same for every attempt of a round),
 * then what this attempt is about (tier, error, failing test, output, block, earlier candidates).
 */
export function hardFixPrompt(input: HardFixPromptInput): Prompt {
  const { name, language, tier, attemptNumber, error, block, fileContent, previousCandidates } = input;
  const range = `${block.file} lines ${block.startLine}-${block.endLine}`;
  const where = fileAndLine(error.file, error.line);
  const tests = input.tests ?? [];
  const others = input.otherFiles ?? [];
  const context = [
    requestIntro(
      name,
      language,
      input.request?.trim() ||
        '(an imported project: no request on record; keep everything the code and its tests do)',
    ).join('\n'),
    tests.length > 0
      ? `## Tests (the specification; fixed)\n${filesSection(tests)}`
      : '## Tests\nThis project has no tests: it is verified by running its entry file, which must exit 0.',
    others.length > 0 ? `## Other project files (unchanged)\n${filesSection(others)}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const sections = [
    `## Strategy: ${tier} (hard-fix attempt ${attemptNumber}; ${tier} covers attempts ${TIER_ATTEMPTS[tier]})\n${TIER_INSTRUCTIONS[tier]}`,
    `## Error\n${error.type}: ${error.message}${where ? `\nAt: ${where}` : ''}`,
    failingTestSection(input.failingTest),
    input.output?.trim() ? `## Output (tail)\n${fenced(outputTail(input.output))}` : '',
    `## Block to replace: ${range}\n<block>\n${numberedLines(block.code, block.startLine)}\n</block>`,
    fileContent === undefined
      ? ''
      : `## The whole file ${block.file}, for context\n${fenced(numberedLines(fileContent, 1), fenceLanguage(block.file))}`,
    candidatesSection(previousCandidates, language),
    `## Answer\nCall replace_block with \`code\`: the new text for ${range}, complete and without line numbers.`,
  ];
  return { system: HARD_FIX_SYSTEM, context, user: sections.filter(Boolean).join('\n\n') };
}
