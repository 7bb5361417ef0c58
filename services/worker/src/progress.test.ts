import type { VerificationSummary } from '@hardfix/contracts';
import { describe, expect, it } from 'vitest';
import { gotFurther, progressOf } from './progress.js';

const step = (phase: string, exitCode: number | null) => ({ phase, command: phase, exitCode, durationMs: 1 });
const run = (steps: VerificationSummary['steps'], passed?: number): VerificationSummary => ({
  ok: false,
  durationMs: 1,
  steps,
  ...(passed === undefined ? {} : { tests: { run: 3, passed, failed: 3 - passed } }),
});

const compileError = progressOf({ type: 'SyntaxError', phase: 'compile' }, run([step('compile', 1)]));
const oneTestPasses = progressOf(
  { type: 'AssertionError', phase: 'test' },
  run([step('compile', 0), step('test', 1)], 1),
);
const twoTestsPass = progressOf(
  { type: 'AssertionError', phase: 'test' },
  run([step('compile', 0), step('test', 1)], 2),
);
const entryFails = progressOf(
  { type: 'NameError', phase: 'run' },
  run([step('compile', 0), step('test', 0), step('run', 1)], 3),
);

describe('gotFurther: when a failed hard-fix candidate is kept instead of reverted', () => {
  it('a later phase, or more tests passing in the same phase, is further', () => {
    expect(gotFurther(oneTestPasses, compileError)).toBe(true);
    expect(gotFurther(twoTestsPass, oneTestPasses)).toBe(true);
    expect(gotFurther(entryFails, twoTestsPass)).toBe(true);
  });

  it('the same stage and count, or less, is not', () => {
    expect(gotFurther(oneTestPasses, oneTestPasses)).toBe(false);
    expect(gotFurther(oneTestPasses, twoTestsPass)).toBe(false);
    expect(gotFurther(compileError, oneTestPasses)).toBe(false);
    const otherRuntimeError = progressOf({ type: 'TypeError', phase: 'run' }, run([step('run', 1)]));
    expect(
      gotFurther(otherRuntimeError, progressOf({ type: 'NameError', phase: 'run' }, run([step('run', 1)]))),
    ).toBe(false);
  });

  it('tests that never ran claim nothing past compiling; a record that does not say is never beaten', () => {
    const silent = progressOf(
      { type: 'NoTestsRan' },
      run([step('compile', 0), step('test', 0), step('run', 0)], 0),
    );
    expect(gotFurther(silent, compileError)).toBe(false);
    expect(gotFurther(oneTestPasses, silent)).toBe(true);
    expect(gotFurther(oneTestPasses, progressOf(undefined, undefined))).toBe(false);
    expect(gotFurther(oneTestPasses, progressOf({ type: 'NameError' }, undefined))).toBe(false);
  });

  it('a run with no step (no entry point) is behind everything; a failure without its phase is placed by its first failing step, or at compiling', () => {
    const noEntry = progressOf({ type: 'MissingEntryPoint' }, run([]));
    expect(gotFurther(compileError, noEntry)).toBe(true);
    const stored = progressOf({ type: 'AssertionError' }, run([step('compile', 0), step('test', 1)], 1));
    expect(stored).toEqual(oneTestPasses);
    const between = progressOf({ type: 'Timeout' }, run([step('compile', 0), step('test', 0)], 3));
    expect(between).toEqual({ rank: 0, passed: 0 });
  });
});
