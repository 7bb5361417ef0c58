import { FREEZE_IMPORT } from '../javascript/verify.js';
import { findEntry, heapMiB, type PlanContext, type VerifyPlan } from '../plan.js';
import { compiledPath, ENTRIES, isTestFile, OUT_DIR, SOURCE } from './files.js';
import { NODE_TYPE_ROOT } from './toolchain.js';

/**
 * The type-check is the compile step: one `tsc` run over every source in strict mode, emitting
 * JavaScript and source maps into OUT_DIR only when there is no error. The project's own tsconfig.json
 * is not read (files on the command line): the options are the contract, the same for every program.
 * Unused imports and locals are not errors (noUnusedLocals is off): they change nothing at run time.
 */
export const TSC_OPTIONS = [
  '--pretty',
  'false',
  '--strict',
  '--target',
  'es2022',
  '--module',
  'nodenext',
  '--moduleResolution',
  'nodenext',
  '--sourceMap',
  '--noEmitOnError',
  // The declarations are the service's own (typescript's lib, @types/node), not the program's to check.
  '--skipLibCheck',
  '--typeRoots',
  NODE_TYPE_ROOT,
  '--types',
  'node',
  '--rootDir',
  '.',
  '--outDir',
  OUT_DIR,
];

/**
 * A project without a package.json is an ES module project (tests `import … from './main.js'`): the
 * compiler decides a .ts file's module format by the nearest package.json, and node the compiled
 * file's by the same one, so one written at the workspace root serves both. A package.json of the
 * project's own is left as it is.
 */
const TYPE_CHECK = `[ -e package.json ] || printf '{"type":"module"}\\n' > package.json || exit 1; exec "$0" "$@"`;

export function planTypescript(ctx: PlanContext<'node' | 'tsc'>): VerifyPlan {
  const found = findEntry(ctx, ENTRIES);
  if ('missing' in found) return found.missing;
  const { entry } = found;
  if (!SOURCE.test(entry) || entry.endsWith('.d.ts'))
    return { kind: 'missing-entry', message: `entry point ${entry} is not a TypeScript file`, file: entry };
  const { node, tsc } = ctx.interpreters;
  const heap = `--max-old-space-size=${heapMiB(ctx.limits)}`;
  const sources = typescriptSources(ctx);
  const tests = sources.filter((p) => isTestFile(p));
  return {
    kind: 'steps',
    steps: [
      {
        phase: 'compile',
        command: ['/bin/sh', '-c', TYPE_CHECK, node, heap, tsc, ...TSC_OPTIONS, ...sources],
        // glibc gives each of V8's helper threads a 64 MiB malloc arena of address space; with the
        // compiler's own heap that passes the step's address-space limit before the heap cap is reached.
        env: { MALLOC_ARENA_MAX: '2' },
        memory: 'runtime',
      },
      ...(tests.length > 0
        ? [
            {
              phase: 'test' as const,
              // The JavaScript adapter's runner set-up: frozen assert/test/loader, TAP for the parser.
              command: [node, FREEZE_IMPORT, '--test', '--test-reporter=tap', ...tests.map(compiledPath)],
              // Every test file's process maps its stack traces back to the .ts lines.
              env: { NODE_OPTIONS: `${heap} --enable-source-maps` },
              memory: 'runtime' as const,
            },
          ]
        : []),
      { phase: 'run', command: [node, heap, '--enable-source-maps', compiledPath(entry)], memory: 'runtime' },
    ],
  };
}

/** Every .ts file the compiler is given: the project's own, none under node_modules. */
export function typescriptSources(ctx: PlanContext): string[] {
  return ctx.files.map((f) => f.path).filter((p) => SOURCE.test(p) && !p.includes('node_modules/'));
}
