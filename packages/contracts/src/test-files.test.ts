import { describe, expect, it } from 'vitest';
import { describeTestFileChanges, isTestFile, testFileChanges } from './test-files.js';

describe('test files (README naming)', () => {
  it.each([
    ['python', 'test_calc.py', true],
    ['python', 'pkg/calc_test.py', true],
    ['python', 'tests/helpers.py', false],
    ['python', 'contest.py', false],
    ['javascript', 'calc.test.js', true],
    ['javascript', 'lib/calc.test.mjs', true],
    ['javascript', 'test/helpers.js', false],
    ['java', 'CalcTest.java', true],
    ['java', 'src/app/CalcTest.java', true],
    ['java', 'Testing.java', false],
  ] as const)('%s %s → %s', (language, path, expected) => {
    expect(isTestFile(language, path)).toBe(expected);
  });

  it('names what a candidate adds, changes (any byte) or deletes, and nothing when the tests are kept', () => {
    const spec = [
      { path: 'main.py', content: 'print(1)\n' },
      { path: 'test_a.py', content: 'a\n' },
      { path: 'test_b.py', content: 'b\n' },
    ];
    const candidate = [
      { path: 'main.py', content: 'print(2)\n' },
      { path: 'test_a.py', content: 'a \n' },
      { path: 'test_c.py', content: 'c\n' },
    ];
    const changes = testFileChanges('python', spec, candidate);
    expect(changes).toEqual({ added: ['test_c.py'], changed: ['test_a.py'], deleted: ['test_b.py'] });
    expect(describeTestFileChanges(changes)).toBe('adds test_c.py; changes test_a.py; deletes test_b.py');
    const kept = testFileChanges('python', spec, [{ path: 'main.py', content: 'x' }, ...spec.slice(1)]);
    expect(describeTestFileChanges(kept)).toBeUndefined();
  });
});
