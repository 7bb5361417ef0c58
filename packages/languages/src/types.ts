/**
 * The shapes an adapter speaks in. They live here, at the bottom of the dependency graph, so an adapter
 * needs nothing else of the workspace; the sandbox and contracts re-export them where they were.
 */

/** A file of a project: a workspace-relative path and its text. */
export interface SourceFile {
  path: string;
  content: string;
}

/** Which of the three verification phases a step belongs to. */
export type VerifyPhase = 'compile' | 'test' | 'run';

/** Test counts of one test step, as the language's runner reported them. */
export interface TestCounts {
  run: number;
  passed: number;
  failed: number;
}

/** A few lines of a project file around a point of interest. */
export interface CodeBlock {
  file: string;
  /** 1-based, inclusive. */
  startLine: number;
  /** 1-based, inclusive. */
  endLine: number;
  code: string;
}

/**
 * The prefix of every line a test runner writes for the verifier (its own counts, which test classes
 * passed or failed, tampering it saw). Such lines are dropped before the output is shown or parsed.
 */
export const TEST_MARK = '[hardfix-test]';
