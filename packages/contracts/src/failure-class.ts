import type { Failure } from './project.js';

/**
 * What kind of mistake a failed verification shows, for the hard-fix tier instructions: a failing
 * assertion needs other advice than code that does not parse. Decided from what the sandbox reports
 * (packages/sandbox: verify-project.ts, extract/*): the phase that failed when it is known, then the
 * error type.
 * - `syntax`: the compile step failed (py_compile, `node --check`, javac): SyntaxError,
 *   IndentationError, TabError, CompileError.
 * - `assertion`: a test's expectation was not met: AssertionError (unittest, node:assert, java's
 *   `throw new AssertionError`), or TestFailure (a test that failed without an exception the
 *   extractor could name, such as a java test class that exits 1).
 * - `limit`: the run was stopped from outside: Timeout, MemoryLimit, OutputLimitExceeded.
 * - `no-tests`: the test step exited 0 but no test ran (NoTestsRan: usually an exit call at import).
 * - `runtime`: any other uncaught error (NameError, TypeError, ModuleNotFoundError, a SyntaxError
 *   raised while running, such as JSON.parse's, a missing entry point…).
 */
export const FAILURE_CLASSES = ['syntax', 'runtime', 'assertion', 'limit', 'no-tests'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

const SYNTAX_TYPES = new Set(['SyntaxError', 'IndentationError', 'TabError', 'CompileError']);
const ASSERTION_TYPES = new Set(['AssertionError', 'TestFailure']);
const LIMIT_TYPES = new Set(['Timeout', 'MemoryLimit', 'OutputLimitExceeded']);

export function failureClass(failure: Pick<Failure, 'type' | 'phase'>): FailureClass {
  if (LIMIT_TYPES.has(failure.type)) return 'limit';
  if (failure.type === 'NoTestsRan') return 'no-tests';
  // The phase settles it when known: a SyntaxError thrown while running (JSON.parse) is not a typo.
  if (failure.phase === 'compile') return 'syntax';
  if (SYNTAX_TYPES.has(failure.type) && failure.phase === undefined) return 'syntax';
  if (ASSERTION_TYPES.has(failure.type)) return 'assertion';
  return 'runtime';
}
