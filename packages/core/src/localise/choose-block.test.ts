import type { Failure, ProjectFile } from '@hardfix/contracts';
import { describe, expect, it } from 'vitest';
import { candidateBlocks } from './candidates.js';
import { chooseBlock, type ShownAttempt } from './choose-block.js';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

// The recursion miss of issue 24: the crash is deep in `walk`, the fault is the call in `solve`.
const PROGRAM: ProjectFile = {
  path: 'prog.py',
  content: lines(
    'def walk(xs, i):', //  1
    '    if i == len(xs):', //  2
    '        return 0', //  3
    '    return xs[i] + walk(xs, i + 1)', //  4
    '', //  5
    '', //  6
    // Far enough from walk that the first block does not take solve in (see MERGE_LINES).
    'def unused():', //  7
    ...Array.from({ length: 30 }, (_, i) => `    x${i} = ${i}`), // 8-37
    '    return 1', // 38
    '', // 39
    '', // 40
    'def solve(xs):', // 41
    '    return walk(xs, -len(xs) - 1)', // 42
  ),
};
const TEST: ProjectFile = {
  path: 'test_prog.py',
  content: lines('from prog import solve', '', 'def test_solve():', '    assert solve([1, 2]) == 3'),
};
const files = [PROGRAM, TEST];
const failure: Failure = {
  type: 'IndexError',
  message: 'list index out of range',
  file: 'prog.py',
  line: 4,
  frames: [
    { file: 'prog.py', line: 4 },
    { file: 'prog.py', line: 42 },
  ],
};
const range = (startLine: number, endLine: number) => ({ file: 'prog.py', startLine, endLine });
const failed = (startLine: number, endLine: number, signature = 'sig-a'): ShownAttempt => ({
  shown: range(startLine, endLine),
  signature,
  duplicate: false,
});
const duplicate = (startLine: number, endLine: number): ShownAttempt => ({
  shown: range(startLine, endLine),
  signature: 'dup',
  duplicate: true,
});
const choose = (history: ShownAttempt[], tier: 'conservative' | 'aggressive' | 'nuclear' = 'conservative') =>
  chooseBlock({ failure, files, language: 'python', tier, history });

describe('candidate blocks', () => {
  it('lists the crashing function, then the caller from the traceback, then the files; never a test', () => {
    const list = candidateBlocks(failure, files, 'python');
    expect(list.map((c) => [c.file, c.startLine, c.endLine, c.reason.kind])).toEqual([
      ['prog.py', 1, 4, 'crash'],
      ['prog.py', 41, 42, 'caller'],
      ['prog.py', 1, 42, 'file'],
    ]);
  });

  it('takes a caller close by in the same file into the first block', () => {
    const near: ProjectFile = {
      path: 'prog.py',
      content: lines(
        'def walk(xs, i):',
        '    return xs[i]',
        '',
        '',
        'def solve(xs):',
        '    return walk(xs, len(xs))',
      ),
    };
    const crash: Failure = {
      ...failure,
      line: 2,
      frames: [
        { file: 'prog.py', line: 2 },
        { file: 'prog.py', line: 6 },
      ],
    };
    const [first] = candidateBlocks(crash, [near, TEST], 'python');
    expect(first).toMatchObject({
      startLine: 1,
      endLine: 6,
      reason: { kind: 'crash', with: ['the caller at line 6'] },
    });
    expect(
      chooseBlock({
        failure: crash,
        files: [near, TEST],
        language: 'python',
        tier: 'conservative',
        history: [],
      }).reason,
    ).toMatch(/takes in the caller at line 6/);
  });

  it('puts the definition the test calls first when no frame is in the code under test', () => {
    const fromTest: Failure = {
      type: 'AssertionError',
      message: '',
      file: 'prog.py',
      line: 41,
      block: { file: 'prog.py', startLine: 41, endLine: 42, code: '' },
      test: { name: 'test_solve', file: 'test_prog.py', line: 4 },
    };
    const list = candidateBlocks(fromTest, files, 'python');
    expect(list[0]).toMatchObject({ startLine: 41, endLine: 42, reason: { kind: 'called-by-test' } });
    // Then the helper it calls.
    expect(list[1]).toMatchObject({ startLine: 1, endLine: 4, reason: { kind: 'callee', name: 'walk' } });
  });
});

describe('the block moves and widens', () => {
  it('starts on the crash, and says why', () => {
    const chosen = choose([]);
    expect(chosen.block).toMatchObject(range(1, 4));
    expect(chosen.reason).toMatch(/line the error was raised at/);
  });

  it('a block that failed twice with the same error is not shown a third time: the caller is next', () => {
    expect(choose([failed(1, 4)]).block).toMatchObject(range(1, 4));
    const chosen = choose([failed(1, 4), failed(1, 4)]);
    expect(chosen.block).toMatchObject(range(41, 42));
    expect(chosen.block.code).toBe('def solve(xs):\n    return walk(xs, -len(xs) - 1)');
    expect(chosen.reason).toMatch(/caller in the failing stack/);
    expect(chosen.reason).toMatch(/failed 2 times with the same error/);
  });

  it('a block that failed twice with different errors may be shown again', () => {
    expect(choose([failed(1, 4, 'a'), failed(1, 4, 'b')]).block).toMatchObject(range(1, 4));
  });

  it('a duplicate candidate never costs two attempts in a row on one block', () => {
    const chosen = choose([duplicate(1, 4)]);
    expect(chosen.block).toMatchObject(range(41, 42));
    expect(chosen.reason).toMatch(/repeated an earlier candidate/);
    // Even when every candidate is spent, the block of the duplicate just before is not next.
    const spent = [
      failed(1, 4),
      failed(1, 4),
      failed(41, 42),
      failed(41, 42),
      failed(1, 42),
      duplicate(1, 42),
    ];
    expect(choose(spent).block).not.toMatchObject(range(1, 42));
  });

  it('later tiers widen: the enclosing function, then the whole file', () => {
    const helper: Failure = { ...failure, frames: [{ file: 'prog.py', line: 20 }] };
    const long: ProjectFile = {
      path: 'prog.py',
      content: lines(
        'def f(x):',
        ...Array.from({ length: 40 }, (_, i) => `    x = x + ${i}`),
        '    return x',
      ),
    };
    const pick = (tier: 'conservative' | 'aggressive' | 'nuclear') =>
      chooseBlock({ failure: { ...helper, line: 20 }, files: [long], language: 'python', tier, history: [] });
    expect(pick('conservative').block).toMatchObject({ startLine: 15, endLine: 25 });
    expect(pick('aggressive').block).toMatchObject({ startLine: 1, endLine: 42 });
    expect(pick('aggressive').reason).toMatch(/enclosing function at the aggressive tier/);
    expect(pick('nuclear').reason).toMatch(/whole file at the nuclear tier/);
    expect(choose([], 'nuclear').block).toMatchObject(range(1, 42));
  });
});

describe('a duplicate counts as the error before it', () => {
  it('a block that failed once and then drew a duplicate is spent, not shown again after a detour', () => {
    // Attempt 1 failed on the crash, attempt 2 repeated itself there, attempt 3 moved to the caller
    // and failed: attempt 4 does not go back to the crash (it failed twice with the same error).
    const chosen = choose([failed(1, 4), duplicate(1, 4), failed(41, 42, 'sig-b')]);
    expect(chosen.block).toMatchObject(range(41, 42));
  });
});
