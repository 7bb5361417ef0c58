import { nodeCoverageStep } from '../javascript/coverage.js';
import { heapMiB, type PlanContext, type PlannedStep } from '../plan.js';
import { compiledPath, isTestFile, OUT_DIR } from './files.js';
import { TSC_OPTIONS, typescriptSources } from './verify.js';

/**
 * The JavaScript adapter's coverage run (each test alone under V8's coverage) over the compiled tests,
 * after the same `tsc` run the verification makes (the traced run is a fresh sandbox), with each
 * covered line of the compiled output mapped back to its .ts line through the compiler's source map.
 * Undefined when the project has no test files.
 */
export function typescriptTraceStep(ctx: PlanContext<'node' | 'tsc'>): PlannedStep | undefined {
  const sources = typescriptSources(ctx);
  const tests = sources.filter((p) => isTestFile(p));
  if (tests.length === 0) return undefined;
  const heap = `--max-old-space-size=${heapMiB(ctx.limits)}`;
  return nodeCoverageStep(ctx.interpreters.node, tests.map(compiledPath), {
    NODE_OPTIONS: heap,
    // As the compile step: V8's helper threads' malloc arenas would pass the address-space limit.
    MALLOC_ARENA_MAX: '2',
    HARDFIX_TRACE_COMPILE: JSON.stringify([ctx.interpreters.tsc, ...TSC_OPTIONS, ...sources]),
    HARDFIX_TRACE_MAPPED: OUT_DIR,
  });
}
