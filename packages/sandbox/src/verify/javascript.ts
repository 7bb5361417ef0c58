import { DEFAULT_ENTRIES, isTestFile } from '@hardfix/contracts';
import { hasFile, heapMiB, type PlanContext, type VerifyPlan } from './plan.js';

const SOURCE = /\.[cm]?js$/;
// One sandbox start for all files: `node --check` takes a single file.
const CHECK_ALL = 'for f do "$0" --check "$f" || exit 1; done';

export function planJavascript(ctx: PlanContext): VerifyPlan {
  const entry = ctx.entry ?? DEFAULT_ENTRIES.javascript.find((p) => hasFile(ctx, p));
  if (entry === undefined || !hasFile(ctx, entry)) {
    return {
      kind: 'missing-entry',
      message: `entry point ${entry ?? 'index.js or main.js'} not found`,
      ...(entry ? { file: entry } : {}),
    };
  }
  const node = ctx.interpreters.node;
  const heap = `--max-old-space-size=${heapMiB(ctx.limits)}`;
  const sources = ctx.files.map((f) => f.path).filter((p) => SOURCE.test(p) && !p.includes('node_modules/'));
  const tests = sources.filter((p) => isTestFile('javascript', p));
  return {
    kind: 'steps',
    steps: [
      { phase: 'compile', command: ['/bin/sh', '-c', CHECK_ALL, node, ...sources], memory: 'runtime' },
      ...(tests.length > 0
        ? [
            {
              phase: 'test' as const,
              // TAP is what the error extraction parses; newer Node defaults to another reporter.
              command: [node, '--test', '--test-reporter=tap', ...tests],
              // The test runner starts a child per file; they inherit the heap cap from NODE_OPTIONS.
              env: { NODE_OPTIONS: heap },
              memory: 'runtime' as const,
            },
          ]
        : []),
      { phase: 'run', command: [node, heap, entry], memory: 'runtime' },
    ],
  };
}
