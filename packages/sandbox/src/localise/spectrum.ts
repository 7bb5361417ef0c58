import type { Language } from '@hardfix/contracts';
import { heapMiB } from '../limits.js';
import type { SandboxRunner } from '../sandbox.js';
import { javascriptCoverageStep } from './javascript-coverage.js';
import { ochiai, type SuspiciousLine } from './ochiai.js';
import { parseTrace, pythonTraceStep } from './python-trace.js';

/** The traced run never takes longer than this, whatever the verification's budget. */
const TRACE_TIMEOUT_MS = 10_000;

/**
 * Spectrum-based localisation where a language makes it cheap: after a test step failed, the tests
 * run again in a fresh sandbox, one by one under a line tracer, and Ochiai ranks the lines the failing
 * tests ran more than the passing ones: python by sys.settrace, javascript by V8's coverage
 * (NODE_V8_COVERAGE, each test alone); other languages give undefined.
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
  const step =
    language === 'python'
      ? pythonTraceStep(files, runner.interpreters.python3)
      : language === 'javascript'
        ? javascriptCoverageStep(files, runner.interpreters.node, heapMiB(runner.limits))
        : undefined;
  if (!step) return undefined;
  const run = await runner.runSteps(files, [step], Math.min(TRACE_TIMEOUT_MS, budgetMs));
  if (run.fault || run.tampered) return undefined;
  const spectra = parseTrace(run.steps[0]?.stdout ?? '', files, language);
  const ranked = ochiai(spectra);
  return ranked.length > 0 ? ranked : undefined;
}
