/** One row of `pnpm run doctor`: what was checked, how it stands, what was found, and the fix. */
export interface CheckResult {
  check: string;
  /**
   * ok; missing (the configuration needs it: doctor exits 1); optional (missing, not needed by this
   * configuration or not used yet); warn (works, with something to know).
   */
  status: 'ok' | 'missing' | 'optional' | 'warn';
  found: string;
  /** The exact command (or setting) that fixes it. */
  fix?: string;
}

const MARK: Record<CheckResult['status'], string> = {
  ok: 'ok',
  missing: 'MISSING',
  optional: 'optional',
  warn: 'warn',
};

/** A plain-text table; a row that is not ok carries its fix on the line below, indented. */
export function renderTable(rows: readonly CheckResult[]): string {
  const width = Math.max(...rows.map((r) => r.check.length), 'check'.length);
  const statusWidth = Math.max(...rows.map((r) => MARK[r.status].length));
  const line = (a: string, b: string, c: string) => `${a.padEnd(width)}  ${b.padEnd(statusWidth)}  ${c}`;
  const out = [line('check', 'status', 'found'), line('-'.repeat(width), '-'.repeat(statusWidth), '-----')];
  for (const r of rows) {
    out.push(line(r.check, MARK[r.status], r.found));
    if (r.fix && r.status !== 'ok') out.push(line('', '', `fix: ${r.fix}`));
  }
  return out.join('\n');
}
