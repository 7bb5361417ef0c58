import type { FailureClass, StrategyTier } from '@hardfix/contracts';

/** How the prompt names each kind of failure (contracts' failureClass). */
export const FAILURE_CLASS_LABELS: Record<FailureClass, string> = {
  syntax: 'the code does not compile (a syntax or compile error)',
  runtime: 'an uncaught error while the code runs',
  assertion: "a test's expectation is not met (a failing assertion)",
  limit: 'the run was stopped at a time, memory or output limit',
  'no-tests': 'the tests never ran (the test process ended before any test)',
};

/**
 * The seed's escalation (the original Python system's guide, "Escalating Fix Attempts"), per tier and
 * per kind of failure. The seed's words were written for syntax errors and stay there; the other kinds
 * get the same escalation (smallest change → rewrite → different approach → from scratch) aimed at
 * their own cause, so a failing assertion is never told to fix syntax only. Reworded where the seed
 * licensed dropping behaviour ("Remove incomplete implementations", "basic functionality only",
 * "Absolute minimal implementation"): a later tier may change more, more boldly, but "simpler" is
 * always a simpler way to pass the same tests.
 */
export const TIER_INSTRUCTIONS: Record<StrategyTier, Record<FailureClass, string>> = {
  conservative: {
    syntax:
      'Fix syntax errors only. Keep all logic intact. Remove TODO comments and placeholders. Ensure proper indentation and brackets.',
    runtime:
      'Fix the cause of this error only: the missing import or name, the wrong type, the bad index, key or value. Keep all other logic intact. Remove TODO comments and placeholders.',
    assertion:
      'Fix the logic the failing test checks: make the code compute what the assertion expects, for every input and not only the one the test uses. Keep the rest of the logic intact. Remove TODO comments and placeholders.',
    limit:
      'Find the loop, recursion or allocation that does not end or grows without bound (a missing exit condition, a wrong step, output in a loop) and bound it. Keep the rest of the logic intact.',
    'no-tests':
      'Stop the code from ending the process when it is imported: do the main work, and any exit call, only when the file is run as the entry point. Keep all logic intact.',
  },
  moderate: {
    syntax:
      'Rewrite the problematic section. Make it parse cleanly. Complete any incomplete implementation. Use only the standard library and the packages the project may declare.',
    runtime:
      'Rewrite the problematic section so that this error cannot happen: check every name, import, type and value it uses. Complete any incomplete implementation. Use only the standard library and the packages the project may declare.',
    assertion:
      'Rewrite the problematic section so that it computes what the tests expect: work the logic out again from the request and the tests instead of patching the old one. Complete any incomplete implementation. Use only the standard library and the packages the project may declare.',
    limit:
      'Rewrite the problematic section with an approach that finishes quickly and within memory for the inputs the tests and the entry file use. Complete any incomplete implementation. Use only the standard library and the packages the project may declare.',
    'no-tests':
      'Rewrite the problematic section so that importing it has no side effects: no exit calls and no main work at import time. Complete any incomplete implementation. Use only the standard library and the packages the project may declare.',
  },
  aggressive: {
    syntax:
      'Complete rewrite of this code block. Take a DIFFERENT, SIMPLER approach that still does everything the request and the tests require. Write it fresh instead of repairing the broken text.',
    runtime:
      'Complete rewrite of this code block. Take a DIFFERENT, SIMPLER approach that still does everything the request and the tests require, without the construct that raised this error.',
    assertion:
      'Complete rewrite of this code block. Take a DIFFERENT, SIMPLER approach that still does everything the request and the tests require. Work out by hand what each test expects before writing it.',
    limit:
      'Complete rewrite of this code block. Take a DIFFERENT, SIMPLER approach that still does everything the request and the tests require, with clearly bounded time and memory.',
    'no-tests':
      'Complete rewrite of this code block. Take a DIFFERENT, SIMPLER approach that still does everything the request and the tests require, with nothing but definitions at module level.',
  },
  nuclear: {
    syntax:
      'START FROM SCRATCH for this section. The simplest implementation that still does everything the request and the tests require. Must be syntactically perfect.',
    runtime:
      'START FROM SCRATCH for this section. The simplest implementation that still does everything the request and the tests require, using only constructs you are certain of. Must be syntactically perfect.',
    assertion:
      'START FROM SCRATCH for this section. The simplest implementation that still does everything the request and the tests require: derive every result the tests check from the request. Must be syntactically perfect.',
    limit:
      'START FROM SCRATCH for this section. The simplest implementation that still does everything the request and the tests require, in a single bounded pass where possible. Must be syntactically perfect.',
    'no-tests':
      'START FROM SCRATCH for this section. The simplest implementation that still does everything the request and the tests require, running nothing at import time. Must be syntactically perfect.',
  },
};
