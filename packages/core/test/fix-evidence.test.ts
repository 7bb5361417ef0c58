import { useRedis } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import { FixLibrary } from '../src/fix-library/index.js';
import { errorSignature } from '../src/signature.js';

const redisFx = useRedis();
const error = { language: 'python', type: 'NameError', message: "name 'total' is not defined" };
const SIG = errorSignature(error);

function save(lib: FixLibrary, projectName: string, workingCode: string, evidence?: 'tests' | 'run-only') {
  return lib.saveSuccess({
    signature: SIG,
    errorType: 'NameError',
    language: 'python',
    description: 'define total',
    workingCode,
    originalCode: 'print(total)\n',
    attempts: 1,
    projectName,
    source: 'llm',
    ...(evidence ? { evidence } : {}),
  });
}

describe('fix evidence', () => {
  it('records what proved a fix, never downgrades it, and offers test-proven fixes first', async () => {
    const { redis, prefix } = redisFx.current;
    const lib = new FixLibrary(redis, prefix);
    // A run-only fix with a better record than the test-proven one...
    const runOnly = await save(lib, 'a', 'total = 0\nprint(total)', 'run-only');
    await save(lib, 'b', 'total = 0\nprint(total)', 'run-only');
    await save(lib, 'c', 'total = 0\nprint(total)');
    const tested = await save(lib, 'd', 'total = sum([1, 2])\nprint(total)', 'tests');
    expect(runOnly.fixId).not.toBe(tested.fixId);
    expect((await lib.get(runOnly.fixId))?.evidence).toBe('run-only');
    expect((await lib.get(tested.fixId))?.evidence).toBe('tests');
    // ...still comes second.
    expect((await lib.lookupCandidates(error)).map((f) => f.fix_id)).toEqual([tested.fixId, runOnly.fixId]);

    // Once proven by tests, always: a later run-only success does not take it back.
    await save(lib, 'e', 'total = sum([1, 2])\nprint(total)', 'run-only');
    expect((await lib.get(tested.fixId))?.evidence).toBe('tests');
    // And a run-only fix that later passes a project's tests is promoted.
    await save(lib, 'f', 'total = 0\nprint(total)', 'tests');
    expect((await lib.get(runOnly.fixId))?.evidence).toBe('tests');
  });
});
