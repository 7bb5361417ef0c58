import type { Language } from '@hardfix/contracts';
import type { MistakeClass } from './corpus.js';

/** One project of the benchmark as it ended. */
export interface Outcome {
  classId: string;
  language: Language;
  /** 1 for the class's first program, 2.. for the later ones. */
  occurrence: number;
  project: string;
  status: string;
  /** Messages API calls made while this project ran (the benchmark runs one project at a time). */
  llmCalls: number;
  /** Where the passing attempt's code came from. */
  fixSource: string | undefined;
  repairedAt: string | undefined;
}

export interface Rate {
  later: number;
  reused: number;
  rate: number;
}

export interface Summary {
  classes: (Rate & { id: string; language: Language; mistake: string })[];
  languages: (Rate & { language: Language })[];
  overall: Rate;
  projects: number;
  delivered: number;
  llmCalls: number;
  llmCallsPerDelivered: number;
}

/** A later occurrence is reused when it was delivered, repaired from the library, with no LLM call. */
const reused = (o: Outcome) =>
  o.occurrence > 1 && o.status === 'delivered' && o.llmCalls === 0 && o.fixSource === 'library';

function rate(list: Outcome[]): Rate {
  const later = list.filter((o) => o.occurrence > 1);
  const n = later.filter(reused).length;
  return { later: later.length, reused: n, rate: later.length ? n / later.length : 0 };
}

export function summarise(classes: MistakeClass[], outcomes: Outcome[]): Summary {
  const languages = [...new Set(classes.map((c) => c.language))];
  const delivered = outcomes.filter((o) => o.status === 'delivered').length;
  const llmCalls = outcomes.reduce((sum, o) => sum + o.llmCalls, 0);
  return {
    classes: classes.map((c) => ({
      id: c.id,
      language: c.language,
      mistake: c.mistake,
      ...rate(outcomes.filter((o) => o.classId === c.id)),
    })),
    languages: languages.map((language) => ({
      language,
      ...rate(outcomes.filter((o) => o.language === language)),
    })),
    overall: rate(outcomes),
    projects: outcomes.length,
    delivered,
    llmCalls,
    llmCallsPerDelivered: delivered ? llmCalls / delivered : 0,
  };
}

const pct = (r: Rate) => `${r.reused}/${r.later} = ${r.rate.toFixed(2)}`;

/** The report as Markdown, as docs/benchmarks.md shows it. */
export function formatReport(s: Summary, seconds: string): string {
  const lines = [
    '| Class | Language | Mistake | Later occurrences reused |',
    '| --- | --- | --- | --- |',
    ...s.classes.map((c) => `| ${c.id} | ${c.language} | ${c.mistake} | ${pct(c)} |`),
    '',
    '| Language | Later occurrences reused (zero LLM calls) |',
    '| --- | --- |',
    ...s.languages.map((l) => `| ${l.language} | ${pct(l)} |`),
    `| **all** | ${pct(s.overall)} |`,
    '',
    `Projects delivered: ${s.delivered} of ${s.projects}. LLM calls: ${s.llmCalls}, ` +
      `${s.llmCallsPerDelivered.toFixed(2)} per delivered project. Wall time: ${seconds} s.`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}
