import type { LocaliseProgram } from './corpus.js';

/** One program of the benchmark: where its candidate list put the fault, and how the service ended. */
export interface Outcome {
  id: string;
  language: string;
  kinds: string[];
  /** The failure as extracted from the broken program's real run. */
  error: string;
  /** 1-based place of the first candidate block holding the faulty line; undefined when none does. */
  rank: number | undefined;
  /** The first block, as `file:start-end (reason)`. */
  first: string;
  /** Its length in lines: a bigger block hits more easily, so the report gives the mean. */
  firstLines: number;
  /** Whether the block shown before the candidate list (the extracted block alone) held the fault. */
  baselineHit: boolean;
  /** Whether the block around the most suspicious line alone held it (only where a spectrum was taken). */
  spectrumHit?: boolean;
  status?: string;
  /** Hard-fix attempts the service used. */
  attempts?: number;
}

export interface Summary {
  programs: number;
  top1: number;
  top3: number;
  delivered: number | undefined;
  /** Top-1 of the block shown before the candidate list (the extracted block, else the entry file). */
  baselineTop1: number;
  meanFirstLines: number;
  /** Top-1 of the spectrum alone, over the programs that have one (python). */
  spectrum: { programs: number; top1: number };
  byLanguage: { language: string; programs: number; top1: number; top3: number; delivered?: number }[];
  byKind: { kind: string; programs: number; top1: number; top3: number }[];
}

const rate = (n: number, of: number) => (of === 0 ? 0 : n / of);

export function summarise(programs: LocaliseProgram[], outcomes: Outcome[], ranService: boolean): Summary {
  const hits = (list: Outcome[], k: number) => list.filter((o) => o.rank !== undefined && o.rank <= k).length;
  const delivered = (list: Outcome[]) => list.filter((o) => o.status === 'delivered').length;
  const languages = [...new Set(programs.map((p) => p.language))].sort();
  const kinds = [...new Set(programs.flatMap((p) => p.kinds))].sort();
  return {
    programs: outcomes.length,
    top1: rate(hits(outcomes, 1), outcomes.length),
    top3: rate(hits(outcomes, 3), outcomes.length),
    delivered: ranService ? rate(delivered(outcomes), outcomes.length) : undefined,
    baselineTop1: rate(outcomes.filter((o) => o.baselineHit).length, outcomes.length),
    spectrum: (() => {
      const traced = outcomes.filter((o) => o.spectrumHit !== undefined);
      return {
        programs: traced.length,
        top1: rate(traced.filter((o) => o.spectrumHit).length, traced.length),
      };
    })(),
    meanFirstLines: rate(
      outcomes.reduce((n, o) => n + o.firstLines, 0),
      outcomes.length,
    ),
    byLanguage: languages.map((language) => {
      const list = outcomes.filter((o) => o.language === language);
      return {
        language,
        programs: list.length,
        top1: rate(hits(list, 1), list.length),
        top3: rate(hits(list, 3), list.length),
        ...(ranService ? { delivered: rate(delivered(list), list.length) } : {}),
      };
    }),
    byKind: kinds.map((kind) => {
      const list = outcomes.filter((o) => o.kinds.includes(kind));
      return {
        kind,
        programs: list.length,
        top1: rate(hits(list, 1), list.length),
        top3: rate(hits(list, 3), list.length),
      };
    }),
  };
}

const pct = (r: number) => r.toFixed(2);

export function formatReport(summary: Summary, outcomes: Outcome[], seconds: string): string {
  const lines = [
    `bench:localise — ${summary.programs} programs, ${seconds} s`,
    '',
    'program                          rank  first block                                 service',
    ...outcomes.map(
      (o) =>
        `${o.id.padEnd(32)} ${String(o.rank ?? '-').padStart(4)}  ${o.first.slice(0, 42).padEnd(42)}  ${o.status ? `${o.status} (${o.attempts} attempts)` : ''}`,
    ),
    '',
    'language     programs  top-1  top-3  delivered-with-oracle',
    ...summary.byLanguage.map(
      (l) =>
        `${l.language.padEnd(12)} ${String(l.programs).padStart(8)}  ${pct(l.top1)}   ${pct(l.top3)}   ${l.delivered === undefined ? '-' : pct(l.delivered)}`,
    ),
    `${'all'.padEnd(12)} ${String(summary.programs).padStart(8)}  ${pct(summary.top1)}   ${pct(summary.top3)}   ${summary.delivered === undefined ? '-' : pct(summary.delivered)}`,
    '',
    `top-1 of the block shown before the candidate list (extracted block, else entry file): ${pct(summary.baselineTop1)}`,
    `mean length of the first block: ${summary.meanFirstLines.toFixed(1)} lines`,
    `top-1 of the spectrum alone (Ochiai's first line, ties by file and line), ${summary.spectrum.programs} programs with a spectrum: ${pct(summary.spectrum.top1)}`,
    '',
    'kind               programs  top-1  top-3',
    ...summary.byKind.map(
      (k) => `${k.kind.padEnd(18)} ${String(k.programs).padStart(8)}  ${pct(k.top1)}   ${pct(k.top3)}`,
    ),
    '',
  ];
  return lines.join('\n');
}
