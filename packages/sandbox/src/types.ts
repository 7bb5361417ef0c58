import type { Language, TestCounts } from '@hardfix/contracts';
import type { CodeBlock, DependencyMount, ToolName, VerifyPhase } from '@hardfix/languages';
import type { CgroupLimits } from './cgroup-support.js';

// Defined with the adapters, which speak them; the sandbox's callers keep importing them from here.
export type { CodeBlock, VerifyPhase };

/**
 * `bubblewrap`: namespaces (no network, private /proc, /tmp, pid namespace), or the service refuses to
 * start; `insecure-process`: the explicit opt-in to run programs with prlimit only.
 */
export type SandboxMode = 'bubblewrap' | 'insecure-process';
export const SANDBOX_MODES: readonly SandboxMode[] = ['bubblewrap', 'insecure-process'];

/** What `/status` shows about isolation. */
export interface SandboxDescription {
  kind: SandboxMode;
  /** True when sandboxed programs can reach the network. */
  network: boolean;
  /** uid the programs run as, or null when the service is not root and cannot drop privileges. */
  uid: number | null;
  limits: {
    memoryBytes: number;
    processes: number;
    openFiles: number;
    fileSizeBytes: number;
    workspaceBytes: number;
  };
  interpreters: Interpreters;
  workRoot: string;
  isolation: SandboxIsolation;
}

/** What holds beyond the per-process limits; shown in /status with each worker's health. */
export interface SandboxIsolation {
  /** False under bubblewrap: a program can create no user namespace (so no namespace) of its own. */
  nestedNamespaces: boolean;
  /** Inherited descriptors above the supervisor's own are closed before anything of the sandbox runs. */
  inheritedDescriptorsClosed: boolean;
  cgroupLimits: CgroupLimits;
}

/** Tool name (an adapter's `toolchain.tools` key: python3, node, java, javac, …) → absolute path. */
export type Interpreters = Record<ToolName, string>;

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Killed because it wrote more than `drainBytes` of output. */
  outputLimitExceeded: boolean;
  stdout: string;
  stderr: string;
  /** stdout or stderr was cut at `outputBytes`. */
  truncated: boolean;
  durationMs: number;
}

export interface VerifyStep extends RunResult {
  phase: VerifyPhase;
  /** The command as the program saw it (paths inside the sandbox). */
  command: string[];
}

export interface ExtractedError {
  type: string;
  message: string;
  /** Project-relative path. */
  file?: string;
  /** 1-based. */
  line?: number;
  block?: CodeBlock;
  /** The project frames of the failing stack, innermost first (see ParsedError.frames). */
  frames?: { file: string; line: number }[];
  /** Lines ranked by the tests' spectrum (Ochiai), most suspicious first; see localise/. */
  suspicious?: { file: string; line: number; score: number }[];
  /**
   * When a test failed: the test, and where it asserted. `file`/`line`/`block` then point at the code
   * under test (the project's own non-test code nearest the failure), never at the test itself.
   */
  test?: FailingTest;
}

export interface FailingTest {
  name?: string;
  /** The test file, when the failure was raised in it. */
  file?: string;
  line?: number;
  /** The source line that failed in the test file. */
  assertion?: string;
}

export interface VerifyOptions {
  language: Language;
  files: { path: string; content: string }[];
  /** Project-relative entry file; defaults per language (main.py, index.js/main.js, Main.java). */
  entry?: string;
  /** Budget for the whole verification, shared by all steps. */
  timeoutMs: number;
  /** The project's installed dependency set (deps/installer.ts), mounted read-only. */
  dependencies?: DependencyMount;
}

export interface VerifyResult {
  ok: boolean;
  steps: VerifyStep[];
  durationMs: number;
  error?: ExtractedError;
  /** Counts of the test step, when the project has tests and that step ran. */
  tests?: TestCounts;
}
