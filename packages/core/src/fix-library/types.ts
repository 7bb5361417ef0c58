import type { FixRecordSource, FixView } from '@hardfix/contracts';

/** A proven fix: the seed's `hard_fixes_database.json` record plus what reuse needs (see FixView). */
export type ProvenFix = FixView;

/** A fix as lookups return it: everything but the (possibly long) list of projects it repaired. */
export type FixCandidate = Omit<ProvenFix, 'used_by_projects'>;

/** How many outcomes of a fix are remembered for demotion. */
export const RECENT_OUTCOMES = 10;
/** Demotion needs this many remembered outcomes: one bad try after a success is not a pattern. */
export const DEMOTE_MIN_USES = 4;

/**
 * How a fix ranks among the candidates for a signature; the library's scripts rank with the same
 * formula in src/lua/includes/rank.lua, and test/fix-rank.test.ts proves the two agree:
 * its success rate with a prior, (s + 1) / (s + f + 2), plus 1 when it was proven here, so an imported
 * fix that has not yet worked here ranks below every local one whatever its imported counters say.
 */
export function rankOf(
  fix: Pick<FixCandidate, 'success_count' | 'failure_count' | 'provenance' | 'local_success_count'>,
): number {
  const rate = (fix.success_count + 1) / (fix.success_count + fix.failure_count + 2);
  return fix.provenance === 'local' || fix.local_success_count > 0 ? rate + 1 : rate;
}

export interface SaveFixInput {
  signature: string;
  errorType: string;
  language: string;
  description: string;
  workingCode: string;
  /** The failing block; with it the fix is stored as a patch that can be carried to other programs. */
  originalCode?: string;
  /**
   * The error the fix repaired: kept so the fix can be re-keyed when the signature algorithm changes,
   * and, with originalCode, the anchor its edit pattern is learnt on.
   */
  errorMessage?: string;
  /** The failure's scope (see SignatureInput.scope), kept with the message. */
  errorScope?: string | undefined;
  /** Attempts this success took (the seed's total_attempts for a new fix). */
  attempts: number;
  projectName: string;
  source: FixRecordSource;
  /**
   * The library fix that was applied, when this success is a reuse: the success counts for that fix
   * (whatever signature it is stored under). Without it the fix is found by its change (see changeHash).
   */
  fixId?: string;
  /**
   * What proved this success: "tests" (the project's tests passed) or "run-only" (no tests: the entry
   * exited 0). A fix once proven by tests stays so. @defaultValue 'run-only'
   */
  evidence?: 'tests' | 'run-only';
  /** Requirement lines the fix adds to the manifest; part of what makes two fixes the same change. */
  dependencies?: readonly string[] | undefined;
  /** Counters of `<prefix>:stats` to bump in the same atomic step, only when this success is new. */
  counters?: Record<string, number>;
}

export interface SaveResult {
  /** False when this project's success was already counted for the fix. */
  saved: boolean;
  fixId: string;
  /** True when the success created a new fix (or a new candidate for a known signature). */
  created: boolean;
}

export type ImportOutcome = 'added' | 'merged' | 'skipped';
