/**
 * Marks a line-tracer's output lines (an adapter's `localise.traceStep`): one JSON object per test,
 * `{"failed": boolean, "lines": [[file, line], …]}`. The program could print them too: see the
 * sandbox's spectrum.ts for why that only reorders blocks, never changes a verdict.
 */
export const TRACE_MARK = '[hardfix-trace]';
