import type { LanguageDependencies } from './dependencies/ecosystem.js';
import type { ParseContext, ParsedError } from './parse-types.js';
import type { PlanContext, PlannedStep, VerifyPlan } from './plan.js';
import type { SourceFile, TestCounts } from './types.js';

/**
 * Everything the system knows about one language. An adapter is a folder (src/<id>/) exporting one of
 * these; registry.ts lists them. No other package compares a language name: each asks the registry
 * for the adapter and reads the field it needs. Guide: docs/architecture.md, "Adding a language".
 */
export interface LanguageAdapter<Id extends string = string, Tool extends string = string> {
  /** The canonical name: the API's `language`, the Redis index keys, the metric label, the CLI flag. */
  readonly id: Id;
  /** Other spellings accepted on input (lower case): the Python system's exports wrote `py`, `js`. */
  readonly aliases: readonly string[];
  /** How people name it in messages and docs: "Python". */
  readonly displayName: string;

  readonly files: {
    /** Where a project starts when it names no entry, in order of preference. */
    readonly defaultEntries: readonly [string, ...string[]];
    /**
     * File name extensions of the language's source, with the dot: they name a code fence's language
     * in prompts and tell a migrated project's language.
     */
    readonly extensions: readonly [string, ...string[]];
    /** The language's source files (test files included). */
    readonly source: RegExp;
    /** A test file: run by the verifier, frozen as the spec, never edited by a library repair. */
    readonly test: RegExp;
    /** How a prompt asks for the tests: "test_<module>.py with unittest (…)". */
    readonly testNaming: string;
    /**
     * The model's files with what the language's build needs and the answer left out (Go: a go.mod
     * naming the module after the project), so the delivered project builds as verified. Optional.
     */
    complete?(files: readonly SourceFile[], projectName: string): SourceFile[];
  };

  readonly toolchain: {
    /**
     * Every executable the verify plan runs, by name → its default absolute path. The name is what
     * `ctx.interpreters[name]` holds in plan(), what a worker's /status lists and what a missing
     * toolchain reports in /ready (it disables this language only). Names are unique across adapters
     * unless two languages really share the binary (then both are disabled when it is missing).
     */
    readonly tools: Readonly<Record<Tool, string>>;
    /**
     * Entries of the host's /etc the runtime reads (the JDK's config folder, python's site config),
     * bound read-only into the sandbox: a name, or a pattern over names.
     */
    readonly etcEntries: readonly (string | RegExp)[];
    /**
     * Host directories outside /usr (always bound) the toolchain lives in, bound read-only at the same
     * path when they exist: an SDK unpacked under /opt, say. Optional.
     */
    readonly hostPaths?: readonly string[];
    /**
     * How a Debian or Ubuntu host gets the tools, as `pnpm run doctor` prints it for a missing one (and
     * scripts/setup.sh, the Dockerfile's worker stage, install it): a command, one line.
     */
    readonly install: string;
  };

  readonly verify: {
    /**
     * The compile / test / run steps for these files, or why they cannot run (no entry file). The
     * sandbox executes the steps in order in one workspace and stops at the first failure; the test
     * step's output is read by countTests and verdictMismatch below.
     */
    plan(ctx: PlanContext<Tool>): VerifyPlan;
    /** The counts the test step's runner reported, or undefined when it reported none. */
    countTests(stdout: string, stderr: string): TestCounts | undefined;
    /**
     * Why the test step's reported verdict cannot be believed (two summaries, a passing exit status
     * with failures, counts that disagree with the runner's own), or undefined when it is consistent.
     */
    verdictMismatch(output: string, exitCode: number | null): string | undefined;
    /** What a program must not modify to stay honest, named in the VerdictTampered message. */
    readonly testRunner: string;
    /** A call that ends the process: where a "no tests ran" failure is pinned. */
    readonly exitCall: RegExp;
    /**
     * Test files that passed without running any test of their own (node reports such a file as one
     * passing test). Optional: most runners count tests, not files.
     */
    silentTestFiles?(stdout: string, testFiles: readonly string[], visibleRoot: string): string[];
    /**
     * Lines the runtime prints around the test runner that are neither the program's nor an error
     * (the JDK's warnings when the runner installs its exit guard): dropped before extraction.
     * Optional.
     */
    readonly noise?: RegExp;
    /** The failing test's name in the test step's output, as the runner prints it. */
    failingTestName(output: string): string | undefined;
  };

  readonly errors: {
    /** The error in a failed step's output (type, message, project file and line), or undefined. */
    parse(output: string, ctx: ParseContext): ParsedError | undefined;
    /** A line defining `name` (a function, method or class): where a failed assertion's callee lives. */
    definition(name: string): RegExp;
    /** How a definition's body ends: by indentation (python) or by braces. */
    readonly blocks: 'indent' | 'braces';
    /**
     * Whether a failure's fix lives in the file's header, where this language allows imports only (go's
     * `undefined: strings` on a line that uses `strings.`): hard fix's first block then starts at line 1.
     * Given the message and the failing line's text. Optional.
     */
    fixInHeader?(message: string, line: string): boolean;
  };

  /** What the fix library's edit patterns need to read and change source of this language. */
  readonly editPatterns: {
    /** Comments the tokenizer skips: `#` to end of line, or C-style `//` and `/* … *\/`. */
    readonly comments: 'hash' | 'c';
    /** Triple-quoted strings ("""…""", '''…''') are one token, and a leading one is a docstring. */
    readonly tripleQuotedStrings: boolean;
    /** A line that imports something (indented ones too: a local import). */
    readonly importLine: RegExp;
    /** Top-level lines that may stand above the imports: shebang, encoding, comments, package. */
    readonly preamble: RegExp;
    /** Words a learnt rewrite never abstracts into a placeholder. */
    readonly keywords: ReadonlySet<string>;
    /**
     * Puts learnt import lines into a file, skipping those it has, where a line after the last
     * top-level import would not compile (Go's `import ( … )` block). Optional: the default inserts
     * after the last top-level import line, else after the preamble.
     */
    addImports?(content: string, imports: readonly string[]): string;
    /**
     * What this language's error messages name as the mistake (group 1): the missing name or method a
     * learnt rewrite is anchored on. Optional: core's anchors cover python, javascript and java.
     */
    readonly anchors?: readonly RegExp[];
  };

  /**
   * What the error signature (the fix library's key) needs to know of this language's messages.
   * The normaliser applies every adapter's rules to every message (a signature is also keyed by the
   * language, so a rule that cannot match another language's messages costs nothing there).
   */
  readonly signature: {
    /** Phrases whose quoted or bare identifier decides the fix: kept through parameterisation. */
    readonly decisive: readonly RegExp[];
    /** Text removed from a message before it is hashed: hints that depend on the program's other names. */
    readonly noise: readonly RegExp[];
    /** Test or function headers, for a failure's scope (group 2, else group 1, is the name). */
    readonly scopeHeaders: readonly RegExp[];
  };

  /**
   * Spectrum-based localisation, where the language makes it cheap: a step that runs the project's
   * tests one by one under a line tracer and prints one TRACE_MARK line per test. Undefined when the
   * project has no tests; a language without it gets no suspicious-line ranking.
   */
  readonly localise?: {
    traceStep(ctx: PlanContext<Tool>): PlannedStep | undefined;
  };

  /**
   * Declared third-party packages: the manifest, how to install it without running package code, and
   * how to mount it. Undefined: the standard library only (a declared package cannot exist).
   */
  readonly dependencies?: LanguageDependencies;

  readonly prompt: {
    /** The rule line every generation and retry prompt states for this language. */
    readonly rules: string;
  };

  /**
   * The smallest entry program that prints `message` (printable ASCII, no quotes or backslashes): the
   * test kit's simulated model answers a generation request with it.
   */
  sample(message: string): SourceFile;

  /** The worker's start-up self-test: a program that must verify, and one whose error must be found. */
  readonly selfTest: {
    readonly good: readonly SourceFile[];
    readonly bad: readonly SourceFile[];
    readonly expect: { type: string; file: string; line: number };
  };
}

/**
 * Declares an adapter, keeping its `id` and tool names as literal types so the registry can derive
 * `Language` and the sandbox's `Interpreters`.
 */
export function defineAdapter<const Id extends string, const Tool extends string>(
  adapter: LanguageAdapter<Id, Tool>,
): LanguageAdapter<Id, Tool> {
  return adapter;
}
