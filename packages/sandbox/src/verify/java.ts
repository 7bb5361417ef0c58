import { DEFAULT_ENTRIES, isTestFile } from '@hardfix/contracts';
import { hasFile, heapMiB, type PlanContext, type VerifyPlan } from './plan.js';
import { JAVA_TEST_MARK } from './test-counts.js';

/** Compiled classes go here, inside the workspace, out of the way of project files. */
export const CLASSES_DIR = '.hardfix-classes';

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
  ];
}

export function planJava(ctx: PlanContext): VerifyPlan {
  const entry = ctx.entry ?? DEFAULT_ENTRIES.java[0];
  const entryFile = ctx.files.find((f) => f.path === entry);
  if (!entryFile || !hasFile(ctx, entry)) {
    return { kind: 'missing-entry', message: `entry point ${entry} not found`, file: entry };
  }
  const flags = jvmFlags(heapMiB(ctx.limits));
  const sources = ctx.files.map((f) => f.path).filter((p) => p.endsWith('.java'));
  const testClasses = ctx.files
    .filter((f) => f.path.endsWith('.java') && isTestFile('java', f.path))
    .map((f) => mainClass(f.path, f.content));
  return {
    kind: 'steps',
    steps: [
      {
        phase: 'compile',
        command: [
          ctx.interpreters.javac,
          ...flags.map((f) => `-J${f}`),
          '-encoding',
          'UTF-8',
          '-d',
          CLASSES_DIR,
          ...sources,
        ],
        memory: 'runtime',
      },
      ...(testClasses.length > 0
        ? [
            {
              phase: 'test' as const,
              command: ['/bin/sh', '-c', runTestClasses(flags), ctx.interpreters.java, ...testClasses],
              memory: 'runtime' as const,
            },
          ]
        : []),
      {
        phase: 'run',
        command: [ctx.interpreters.java, ...flags, '-cp', CLASSES_DIR, mainClass(entry, entryFile.content)],
        memory: 'runtime',
      },
    ],
  };
}

/**
 * Java has no test runner in the JDK: each `*Test` class's `main` is a test that fails by exiting
 * non-zero (an uncaught AssertionError does that too). All of them run, in one sandbox start, so the
 * counts are complete; the summary line is read by countTests and dropped before error extraction.
 * The flags are our own constants (no spaces), so they can be spliced into the script.
 */
function runTestClasses(flags: string[]): string {
  return [
    'java="$0"; run=0; failed=0',
    `for c do run=$((run+1)); "$java" ${flags.join(' ')} -cp ${CLASSES_DIR} "$c" || { failed=$((failed+1)); echo "${JAVA_TEST_MARK} failed $c" >&2; }; done`,
    `echo "${JAVA_TEST_MARK} run=$run failed=$failed"`,
    '[ "$failed" -eq 0 ]',
  ].join('\n');
}

/** `src/app/App.java` declaring `package app;` runs as `app.App`. */
function mainClass(entry: string, content: string): string {
  const simple = (entry.split('/').pop() ?? entry).replace(/\.java$/, '');
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(content)?.[1];
  return pkg ? `${pkg}.${simple}` : simple;
}
