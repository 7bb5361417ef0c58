import type { CodeBlock, StrategyTier } from '@hardfix/contracts';
import type { BlockCandidate } from './candidates.js';
import type { LineRange } from './enclosing.js';

/** The sentence the hard-fix prompt gives for its block: what points here, and what was left behind. */
export function describeChoice(
  candidate: BlockCandidate,
  block: CodeBlock,
  tier: StrategyTier,
  movedFrom?: { range: { file: string } & LineRange; why: string },
): string {
  const r = candidate.reason;
  const what =
    r.kind === 'crash'
      ? 'it holds the line the error was raised at (the innermost frame in project code)'
      : r.kind === 'called-by-test'
        ? `it is the definition the failing test${r.test ? ` (${r.test})` : ''} calls; no frame of the failure is in the code under test`
        : r.kind === 'caller'
          ? `it holds a caller in the failing stack (frame ${r.depth + 1} from the innermost, line ${r.line}): the error surfaced deeper, but the wrong value or call may come from here`
          : r.kind === 'suspicious'
            ? `the tests rank its line ${r.line} ${r.rank === 1 ? 'the most' : `${ordinal(r.rank)} most`} suspicious (Ochiai ${r.score.toFixed(2)}: run by the failing tests more than by the passing ones)`
            : r.kind === 'callee'
              ? `it is ${r.name}, which the code under test calls: the fault may be in the helper`
              : r.kind === 'file'
                ? 'no narrower location is left untried, so the whole file is shown'
                : 'the error names no location in the code, so the entry file is shown';
  const joined =
    (r.kind === 'crash' || r.kind === 'called-by-test') && r.with?.length
      ? `; it takes in ${r.with.join(', ')}, close by in the same file, where the fault may be instead`
      : '';
  const widened =
    block.startLine !== candidate.startLine || block.endLine !== candidate.endLine
      ? tier === 'nuclear'
        ? ` Widened to the whole file at the ${tier} tier.`
        : ` Widened to the enclosing function at the ${tier} tier.`
      : '';
  const moved = movedFrom
    ? ` It replaces ${movedFrom.range.file} lines ${movedFrom.range.startLine}-${movedFrom.range.endLine}, shown before: ${movedFrom.why}.`
    : '';
  return `This block was chosen because ${what}${joined}.${widened}${moved}`;
}

function ordinal(n: number): string {
  return n === 1 ? '' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}
