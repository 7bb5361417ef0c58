import { describe, expect, it } from 'vitest';
import { failureClass } from './failure-class.js';

describe('failureClass', () => {
  it.each([
    [{ type: 'SyntaxError', phase: 'compile' }, 'syntax'],
    [{ type: 'IndentationError', phase: 'compile' }, 'syntax'],
    [{ type: 'CompileError', phase: 'compile' }, 'syntax'],
    // Records from before failures carried their phase: the type alone.
    [{ type: 'SyntaxError' }, 'syntax'],
    [{ type: 'TabError' }, 'syntax'],
    // JSON.parse while running: not a typo in the code.
    [{ type: 'SyntaxError', phase: 'run' }, 'runtime'],
    [{ type: 'AssertionError', phase: 'test' }, 'assertion'],
    [{ type: 'TestFailure', phase: 'test' }, 'assertion'],
    [{ type: 'NameError', phase: 'test' }, 'runtime'],
    [{ type: 'ModuleNotFoundError', phase: 'run' }, 'runtime'],
    [{ type: 'MissingEntryPoint' }, 'runtime'],
    [{ type: 'Timeout', phase: 'test' }, 'limit'],
    [{ type: 'MemoryLimit', phase: 'run' }, 'limit'],
    [{ type: 'OutputLimitExceeded', phase: 'run' }, 'limit'],
    [{ type: 'NoTestsRan' }, 'no-tests'],
  ] as const)('%o is %s', (failure, expected) => {
    expect(failureClass(failure)).toBe(expected);
  });
});
