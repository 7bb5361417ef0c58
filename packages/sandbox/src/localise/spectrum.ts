import { isTestFile, type Language } from '@hardfix/contracts';
import { adapterOf, TRACE_MARK } from '@hardfix/languages';
import type { SandboxRunner } from '../sandbox.js';
import { ochiai, type SuspiciousLine, type TestSpectrum } from './ochiai.js';

/** The traced run never takes longer than this, whatever the verification's budget. */
const TRACE_TIMEOUT_MS = 10_000;

/**
 * Spectrum-based localisation where a language makes it cheap: after a test step failed, the tests
 * run again in a fresh sandbox, one by one under a line tracer, and Ochiai ranks the lines the failing
 * tests ran more than the passing ones: each adapter's `localise.traceStep` (python: sys.settrace;
 * javascript and typescript: V8's coverage, each test alone; go: statement coverage, each test
 * alone); a language without one (java) gives undefined.
 * The traced run is the program's own process, so it could print a forged spectrum: that can only
 * change which block hard fix shows first, never a verdict. Undefined when it yields nothing.
 */
export async function suspiciousLines(
  runner: SandboxRunner,
  language: Language,
  files: { path: string; content: string }[],
  budgetMs: number,
): Promise<SuspiciousLine[] | undefined> {
  if (budgetMs < 500) return undefined;
  const step = adapterOf(language).localise?.traceStep({
    files,
    entry: undefined,
    interpreters: runner.interpreters,
    limits: runner.limits,
  });
  if (!step) return undefined;
  const run = await runner.runSteps(files, [step], Math.min(TRACE_TIMEOUT_MS, budgetMs));
  if (run.fault || run.tampered) return undefined;
  const spectra = parseTrace(run.steps[0]?.stdout ?? '', files, language);
  const ranked = ochiai(spectra);
  return ranked.length > 0 ? ranked : undefined;
}

/**
 * The spectra a traced run printed (this tracer's, or another language's in the same format), test
 * files left out: they are the spec, never the fault.
 */
export function parseTrace(stdout: string, files: { path: string }[], language: Language): TestSpectrum[] {
  const known = new Set(files.filter((f) => !isTestFile(language, f.path)).map((f) => f.path));
  const out: TestSpectrum[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(`${TRACE_MARK} `)) continue;
    try {
      const parsed = JSON.parse(line.slice(TRACE_MARK.length + 1)) as { failed?: unknown; lines?: unknown };
      if (typeof parsed.failed !== 'boolean' || !Array.isArray(parsed.lines)) continue;
      const lines = parsed.lines
        .filter(
          (l): l is [string, number] =>
            Array.isArray(l) && typeof l[0] === 'string' && Number.isSafeInteger(l[1]),
        )
        .filter(([file]) => known.has(file))
        .map(([file, n]) => `${file}:${n}`);
      out.push({ failed: parsed.failed, lines });
    } catch {
      // A line the program printed in the tracer's format but not its JSON: not a spectrum.
    }
  }
  return out;
}
