import type { Failure, VerificationSummary } from '@hardfix/contracts';

/** How far a failed verification got, in the order verification runs its steps. */
const PHASE_RANK = { compile: 0, test: 1, run: 2 } as const;

/**
 * Failures that say nothing about how far the program got: the test step exited 0 but no test ran
 * (an exit at import hides everything after it), or the program wrote the supervisor's status lines
 * (no step's result counts).
 */
const NO_CLAIM: Record<string, number> = { NoTestsRan: PHASE_RANK.compile, StatusForged: -1 };

export interface Progress {
  /** -1 no step ran (no entry point); 0 failed compiling; 1 failed in the tests; 2 failed running the entry file. */
  rank: number;
  /** Tests that passed (0 when none ran or the project has none). */
  passed: number;
}

/**
 * How far a failed run got: the phase it failed in, then how many tests passed. Undefined when the
 * record does not say (no failure or no verification stored with the files).
 */
export function progressOf(
  failure: Pick<Failure, 'type' | 'phase'> | undefined,
  verification: VerificationSummary | undefined,
): Progress | undefined {
  if (!failure || !verification) return undefined;
  const passed = verification.tests?.passed ?? 0;
  const noClaim = NO_CLAIM[failure.type];
  if (noClaim !== undefined) return { rank: noClaim, passed: 0 };
  if (verification.steps.length === 0) return { rank: -1, passed: 0 };
  // A failure stored before failures carried their phase: the first step that did not exit 0.
  const phase = failure.phase ?? verification.steps.find((s) => s.exitCode !== 0)?.phase;
  if (phase === 'compile' || phase === 'test' || phase === 'run') return { rank: PHASE_RANK[phase], passed };
  // No step failed on its own (the deadline fell between steps): claim no more than compiling.
  return { rank: PHASE_RANK.compile, passed: 0 };
}

/**
 * The rule that decides whether a failed hard-fix candidate becomes the base of the next attempt
 * instead of being reverted: it got strictly further than the files it was applied to — it failed in a
 * later phase (a compile error became a test failure, or every test passed and the entry file failed),
 * or in the same phase with more tests passing. Anything else (the same error, another error at the
 * same stage, fewer tests passing, a record that does not say) is reverted, so a candidate that made
 * things no better never becomes what the next one patches.
 */
export function gotFurther(candidate: Progress | undefined, base: Progress | undefined): boolean {
  if (!candidate || !base) return false;
  return candidate.rank > base.rank || (candidate.rank === base.rank && candidate.passed > base.passed);
}
