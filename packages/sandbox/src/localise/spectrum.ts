import type { Language } from '@hardfix/contracts';
import type { SandboxRunner } from '../sandbox.js';
import { ochiai, type SuspiciousLine } from './ochiai.js';
import { parsePythonTrace, pythonTraceStep } from './python-trace.js';

/** The traced run never takes longer than this, whatever the verification's budget. */
const TRACE_TIMEOUT_MS = 10_000;

/**
 * Spectrum-based localisation where a language makes it cheap: after a test step failed, the tests
 * run again in a fresh sandbox, one by one under a line tracer, and Ochiai ranks the lines the failing
 * tests ran more than the passing ones. Python only (sys.settrace); other languages give undefined.
 * The traced run is the program's own process, so it could print a forged spectrum: that can only
 * change which block hard fix shows first, never a verdict. Undefined when it yields nothing.
 */
export async function suspiciousLines(
  runner: SandboxRunner,
  language: Language,
  files: { path: string; content: string }[],
  budgetMs: number,
): Promise<SuspiciousLine[] | undefined> {
  if (language !== 'python' || budgetMs < 500) return undefined;
  const step = pythonTraceStep(files, runner.interpreters.python3);
  if (!step) return undefined;
  const run = await runner.runSteps(files, [step], Math.min(TRACE_TIMEOUT_MS, budgetMs));
  if (run.fault || run.tampered) return undefined;
  const spectra = parsePythonTrace(run.steps[0]?.stdout ?? '', files);
  const ranked = ochiai(spectra);
  return ranked.length > 0 ? ranked : undefined;
}
