import { findEntry, heapMiB, type PlanContext, type VerifyPlan } from '../plan.js';
import { ENTRIES, isTestFile, SOURCE } from './files.js';

/**
 * node --test counts in its own process (the runner), which loads nothing of the project: each test
 * file runs in a child process of its own and reports to it. The child is where the project's code
 * runs, and there it could make every assertion pass: replace node:assert's (or node:test's)
 * functions, or hand the test a fake assert through the module loader (`require.cache['assert']`,
 * `Module._load`, `Module.prototype._compile` rewriting the test's source as it loads). This module,
 * loaded first in every process through `--import`, freezes those objects and makes those loader
 * functions read-only, so each replacement does nothing (or throws, in strict code) and the test
 * checks what it says. What the runner then reports is cross-checked by test-verdict.ts.
 */
const FREEZE_RUNNER = [
  "import assert from 'node:assert';",
  "import strict from 'node:assert/strict';",
  "import test from 'node:test';",
  "import Module from 'node:module';",
  'for (const o of [assert, strict, test, Module._extensions]) Object.freeze(o);',
  'const lock = (o, k) => Object.defineProperty(o, k, { value: o[k], writable: false, configurable: false });',
  "for (const k of ['_load', '_resolveFilename']) lock(Module, k);",
  "for (const k of ['require', '_compile', 'load']) lock(Module.prototype, k);",
  "for (const id of ['assert', 'assert/strict', 'node:assert', 'node:assert/strict', 'node:test'])",
  '  Object.defineProperty(Module._cache, id, { get() {}, set() {}, configurable: false });',
].join('\n');
export const FREEZE_IMPORT = `--import=data:text/javascript,${encodeURIComponent(FREEZE_RUNNER)}`;
// One sandbox start for all files: `node --check` takes a single file.
const CHECK_ALL = 'for f do "$0" --check "$f" || exit 1; done';

export function planJavascript(ctx: PlanContext<'node'>): VerifyPlan {
  const found = findEntry(ctx, ENTRIES);
  if ('missing' in found) return found.missing;
  const { entry } = found;
  const node = ctx.interpreters.node;
  const heap = `--max-old-space-size=${heapMiB(ctx.limits)}`;
  const sources = ctx.files.map((f) => f.path).filter((p) => SOURCE.test(p) && !p.includes('node_modules/'));
  const tests = sources.filter((p) => isTestFile(p));
  return {
    kind: 'steps',
    steps: [
      { phase: 'compile', command: ['/bin/sh', '-c', CHECK_ALL, node, ...sources], memory: 'runtime' },
      ...(tests.length > 0
        ? [
            {
              phase: 'test' as const,
              // TAP is what the error extraction parses; newer Node defaults to another reporter.
              command: [node, FREEZE_IMPORT, '--test', '--test-reporter=tap', ...tests],
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
