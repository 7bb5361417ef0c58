import { DEFAULT_ENTRIES } from '@hardfix/contracts';
import { hasFile, heapMiB, type PlanContext, type VerifyPlan } from './plan.js';

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
      {
        phase: 'run',
        command: [ctx.interpreters.java, ...flags, '-cp', CLASSES_DIR, mainClass(entry, entryFile.content)],
        memory: 'runtime',
      },
    ],
  };
}

/** `src/app/App.java` declaring `package app;` runs as `app.App`. */
function mainClass(entry: string, content: string): string {
  const simple = (entry.split('/').pop() ?? entry).replace(/\.java$/, '');
  const pkg = /^\s*package\s+([\w.]+)\s*;/m.exec(content)?.[1];
  return pkg ? `${pkg}.${simple}` : simple;
}
