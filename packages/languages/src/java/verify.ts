import { findEntry, heapMiB, type PlanContext, type VerifyPlan } from '../plan.js';
import { TEST_MARK } from '../types.js';
import { ENTRIES, isTestFile } from './files.js';
import { JAVA_RUNNER_CLASS, JAVA_RUNNER_SOURCE } from './runner.js';

/** Compiled classes go here, inside the workspace, out of the way of project files. */
export const CLASSES_DIR = '.hardfix-classes';
/** The test runner's source, written into the workspace by the compile step (runner.ts). */
const RUNNER_DIR = '.hardfix-runner';
const RUNNER_FILE = `${RUNNER_DIR}/TestRunner.java`;

/** Small heaps and the C1-only JIT: verification runs are short and this box has two cores. */
function jvmFlags(heap: number): string[] {
  return [
    `-Xmx${heap}m`,
    '-XX:MaxMetaspaceSize=128m',
    // Bounded reservations, so the JVM starts under the RLIMIT_AS the sandbox sets.
    '-XX:CompressedClassSpaceSize=64m',
    '-XX:ReservedCodeCacheSize=32m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    // Would write /tmp/hsperfdata_<user>, useless here.
    '-XX:-UsePerfData',
    // Java's `assert` checks nothing without it, and tests are written with it.
    '-ea',
  ];
}

/** JDK 18 to 23 refuse a security manager set at run time without it (the test runner's exit guard). */
const ALLOW_GUARD = '-Djava.security.manager=allow';

export function planJava(ctx: PlanContext<'java' | 'javac'>): VerifyPlan {
  const found = findEntry(ctx, ENTRIES);
  if ('missing' in found) return found.missing;
  const { entry } = found;
  const entryContent = ctx.files.find((f) => f.path === entry)?.content ?? '';
  const flags = jvmFlags(heapMiB(ctx.limits));
  const sources = ctx.files.map((f) => f.path).filter((p) => p.endsWith('.java'));
  const testClasses = ctx.files
    .filter((f) => f.path.endsWith('.java') && isTestFile(f.path))
    .map((f) => mainClass(f.path, f.content));
  return {
    kind: 'steps',
    steps: [
      {
        phase: 'compile',
        // With tests, the runner is compiled with the project (nothing of the project runs yet).
        command:
          testClasses.length > 0
            ? ['/bin/sh', '-c', WRITE_RUNNER_THEN_JAVAC, ...javac(ctx.interpreters.javac, flags), ...sources]
            : javac(ctx.interpreters.javac, flags).concat(sources),
        ...(testClasses.length > 0 ? { env: { HARDFIX_TEST_RUNNER: JAVA_RUNNER_SOURCE } } : {}),
        memory: 'runtime',
      },
      ...(testClasses.length > 0
        ? [
            {
              phase: 'test' as const,
              command: [
                '/bin/sh',
                '-c',
                runTestClasses([...flags, ALLOW_GUARD]),
                ctx.interpreters.java,
                ...testClasses,
              ],
              memory: 'runtime' as const,
            },
          ]
        : []),
      {
        phase: 'run',
        command: [ctx.interpreters.java, ...flags, '-cp', CLASSES_DIR, mainClass(entry, entryContent)],
        memory: 'runtime',
      },
    ],
  };
}

/** javac's command line; -proc:none, so no annotation processor found in the project's files runs. */
function javac(path: string, flags: string[]): string[] {
  return [
    path,
    ...flags.filter((f) => f !== '-ea').map((f) => `-J${f}`),
    '-proc:none',
    '-encoding',
    'UTF-8',
    '-d',
    CLASSES_DIR,
  ];
}

/** Writes the runner's source (from the environment) into the workspace, then runs javac (`$0 "$@"`) over it too. */
const WRITE_RUNNER_THEN_JAVAC = [
  `mkdir -p ${RUNNER_DIR} && printf '%s' "$HARDFIX_TEST_RUNNER" > ${RUNNER_FILE} || exit 1`,
  'unset HARDFIX_TEST_RUNNER',
  `exec "$0" "$@" ${RUNNER_FILE}`,
].join('\n');

/**
 * Java has no test runner in the JDK: each `*Test` class's `main` is a test that fails by exiting
 * non-zero (an uncaught AssertionError does that too), run by runner.ts in a JVM of its own, whose
 * exit status is the test's verdict. All of them run, in one sandbox start, so the counts are complete;
 * the per-class and summary lines are checked by test-verdict.ts and dropped before error extraction.
 * The flags are our own constants (no spaces), so they can be spliced into the script.
 */
function runTestClasses(flags: string[]): string {
  return [
    'java="$0"; run=0; failed=0',
    `for c do run=$((run+1)); if "$java" ${flags.join(' ')} -cp ${CLASSES_DIR} ${JAVA_RUNNER_CLASS} "$c"; then echo "${TEST_MARK} passed $c" >&2; else failed=$((failed+1)); echo "${TEST_MARK} failed $c" >&2; fi; done`,
    `echo "${TEST_MARK} run=$run failed=$failed"`,
    '[ "$failed" -eq 0 ]',
  ].join('\n');
}

/** `src/app/App.java` declaring `package app;` runs as `app.App`. */
function mainClass(entry: string, content: string): string {
  const simple = (entry.split('/').pop() ?? entry).replace(/\.java$/, '');
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(content)?.[1];
  return pkg ? `${pkg}.${simple}` : simple;
}
