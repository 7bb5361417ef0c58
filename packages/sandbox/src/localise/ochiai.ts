/**
 * Spectrum-based fault localisation: a line run by many failing tests and few passing ones is
 * suspicious. Ochiai's coefficient, ef / sqrt(totalFailed * (ef + ep)), ranks best among the classic
 * formulas on real faults (Abreu et al. 2007; GZoltar uses it).
 */
export interface TestSpectrum {
  /** `file:line` keys of the lines the test ran. */
  lines: Iterable<string>;
  failed: boolean;
}

export interface SuspiciousLine {
  file: string;
  line: number;
  score: number;
}

/** Lines with a score above zero, most suspicious first (ties: by file, then line). */
export function ochiai(tests: readonly TestSpectrum[], limit = 20): SuspiciousLine[] {
  const totalFailed = tests.filter((t) => t.failed).length;
  if (totalFailed === 0) return [];
  const counts = new Map<string, { ef: number; ep: number }>();
  for (const t of tests) {
    for (const key of new Set(t.lines)) {
      const c = counts.get(key) ?? { ef: 0, ep: 0 };
      if (t.failed) c.ef++;
      else c.ep++;
      counts.set(key, c);
    }
  }
  const out: SuspiciousLine[] = [];
  for (const [key, { ef, ep }] of counts) {
    if (ef === 0) continue;
    const at = key.lastIndexOf(':');
    const line = Number(key.slice(at + 1));
    if (at <= 0 || !Number.isSafeInteger(line) || line < 1) continue;
    out.push({ file: key.slice(0, at), line, score: ef / Math.sqrt(totalFailed * (ef + ep)) });
  }
  return out
    .sort((a, b) => b.score - a.score || a.file.localeCompare(b.file) || a.line - b.line)
    .slice(0, limit);
}
