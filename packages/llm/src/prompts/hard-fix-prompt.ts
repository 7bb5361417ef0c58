import {
  type CodeBlock,
  type Failure,
  failureClass,
  type Language,
  type ProjectFile,
  type StrategyTier,
} from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import { attemptsSection, type FailedAttempt } from './attempts-section.js';
import {
  type DependencyPolicy,
  dependencyRule,
  type FailingTestInfo,
  fenced,
  fenceLanguage,
  fileAndLine,
  filesSection,
  numberedLines,
  outputTail,
} from './format.js';
import { type Prompt, requestIntro } from './project-header.js';
import { FAILURE_CLASS_LABELS, TIER_INSTRUCTIONS } from './strategy-tiers.js';

export interface HardFixPromptInput {
  name: string;
  language: Language;
  /** What the user asked for (an imported project has none): the fix must still do all of it. */
  request?: string | undefined;
  tier: StrategyTier;
  /** The round's attempts the tier covers ("1-5"): core's flow table sets the bands. */
  tierAttempts: string;
  attemptNumber: number;
  /** The failure of the files this attempt patches; its type and phase choose the tier's instruction. */
  error: {
    type: string;
    message: string;
    file?: string | undefined;
    line?: number | undefined;
    phase?: Failure['phase'];
  };
  /** The test that failed, when a test did: its name, and the line that asserted. */
  failingTest?: FailingTestInfo | undefined;
  /** The tail of the failing run's output. */
  output?: string | undefined;
  block: CodeBlock;
  /** Why this block was chosen (the crash, a caller, the tests' ranking, a widening): one sentence. */
  blockReason?: string | undefined;
  /** The whole file the block is in, for context. */
  fileContent?: string | undefined;
  /** The project's test files: the spec, which the fix must pass and may not touch. */
  tests?: readonly ProjectFile[] | undefined;
  /** The project's other source files (neither the block's file nor tests), unchanged by repairs. */
  otherFiles?: readonly ProjectFile[] | undefined;
  /**
   * The failure analysis made after the normal attempts, when the project has one: its diagnosis and
   * plan were written for the whole project, before hard fix, and stay the same for every attempt.
   */
  analysis?: { diagnosis: string; plan: string } | undefined;
  /** Which packages may be declared; absent: the standard library only. */
  dependencies?: DependencyPolicy | undefined;
  /**
   * Candidates already tried on this project that did not verify (each with its patch, the error, test
   * counts and output it produced, and whether it was kept), oldest first.
   */
  previousCandidates: readonly FailedAttempt[];
}

/**
 * Candidates shown in full (code, error, output): older ones add tokens but little signal once the
 * recent ones are shown, and are listed one line each instead.
 */
export const MAX_CANDIDATES_SHOWN = 6;
/** Older candidates listed by their error; beyond these (review rounds add up), only counted. */
const MAX_CANDIDATES_LISTED = 14;
/** Each candidate's output tail: the error is at its end, and six of them must stay readable. */
const CANDIDATE_OUTPUT_CHARS = 800;

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
  '- The result must not read standard input or use the network. Third-party packages only as the',
  "  project's rules say; where they allow one, a missing module (ModuleNotFoundError, No module named X,",
  '  Cannot find module X) of a third-party package is repaired by declaring its distribution in',
  '  replace_block `dependencies` (PIL -> Pillow, cv2 -> opencv-python, yaml -> PyYAML, bs4 -> beautifulsoup4;',
  '  npm: the package name), with `code` the block as it should stand (unchanged if the import is right).',
].join('\n');

function candidatesSection(candidates: readonly FailedAttempt[]): string {
  if (candidates.length === 0) return '';
  const ordered = [...candidates].sort((a, b) => a.n - b.n);
  const shown = ordered.slice(-MAX_CANDIDATES_SHOWN);
  const older = ordered.slice(0, ordered.length - shown.length);
  const listed = older.slice(-MAX_CANDIDATES_LISTED);
  const unlisted = older.length - listed.length;
  return [
    `## Earlier candidates that did not work (${candidates.length}): do not repeat them`,
    'Each was pasted over the line range it names and verified; this is what it produced. Do not propose any of them again, nor a variant that fails the same way: work out what each one missed.',
    older.length > 0
      ? [
          'Older candidates, not shown in full:',
          unlisted > 0 ? `- ${unlisted} more before these` : '',
          ...listed.map((a) => `- attempt ${a.n}: ${a.error.type}: ${a.error.message.split('\n')[0]}`),
        ]
          .filter(Boolean)
          .join('\n')
      : '',
    attemptsSection(shown, { outputChars: CANDIDATE_OUTPUT_CHARS }),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function analysisSection(analysis: HardFixPromptInput['analysis']): string {
  if (!analysis || (!analysis.diagnosis.trim() && !analysis.plan.trim())) return '';
  return [
    '## Failure analysis (made before hard fix)',
    'Written before hard fix began, for the whole project: use what bears on the block you repair.',
    `Diagnosis: ${analysis.diagnosis.trim()}`,
    `Plan: ${analysis.plan.trim()}`,
  ].join('\n');
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
 * The cached context first (request, analysis, tests, untouched files: the same for every attempt
 * while failed candidates are reverted), then what this attempt is about (tier and the instruction for
 * this kind of failure, error, failing test, output, block, earlier candidates with what they produced).
 */
export function hardFixPrompt(input: HardFixPromptInput): Prompt {
  const { name, language, tier, tierAttempts, attemptNumber, error, block, fileContent, previousCandidates } =
    input;
  const kind = failureClass(error);
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
    analysisSection(input.analysis),
    tests.length > 0
      ? `## Tests (the specification; fixed)\n${filesSection(tests)}`
      : '## Tests\nThis project has no tests: it is verified by running its entry file, which must exit 0.',
    others.length > 0 ? `## Other project files (unchanged)\n${filesSection(others)}` : '',
    `## Packages\n${dependencyRule(language, input.dependencies)}`,
  ]
    .filter(Boolean)
    .join('\n\n');
  const sections = [
    [
      `## Strategy: ${tier} (hard-fix attempt ${attemptNumber}; ${tier} covers attempts ${tierAttempts})`,
      `The failure: ${FAILURE_CLASS_LABELS[kind]}.`,
      TIER_INSTRUCTIONS[tier][kind],
    ].join('\n'),
    `## Error\n${error.type}: ${error.message}${where ? `\nAt: ${where}` : ''}`,
    failingTestSection(input.failingTest),
    input.output?.trim() ? `## Output (tail)\n${fenced(outputTail(input.output))}` : '',
    [
      `## Block to replace: ${range}`,
      input.blockReason ?? '',
      previousCandidates.length > 0
        ? 'As it stands in the files you are given: a candidate below marked Reverted is not in it.'
        : '',
      `<block>\n${numberedLines(block.code, block.startLine)}\n</block>`,
    ]
      .filter(Boolean)
      .join('\n'),
    fileContent === undefined
      ? ''
      : `## The whole file ${block.file}, for context\n${fenced(numberedLines(fileContent, 1), fenceLanguage(block.file))}`,
    candidatesSection(previousCandidates),
    `## Answer\nCall replace_block with \`code\`: the new text for ${range}, complete and without line numbers${input.dependencies && input.dependencies.mode !== 'off' && adapterOf(language).dependencies ? '; and `dependencies`, requirement lines to add to the manifest, when the fix is a package to declare' : ''}.`,
  ];
  return { system: HARD_FIX_SYSTEM, context, user: sections.filter(Boolean).join('\n\n') };
}
