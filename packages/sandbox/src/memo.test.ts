import { describe, expect, it } from 'vitest';
import { memoised, type VerifyMemo } from './memo.js';
import type { SandboxDescription, VerifyOptions, VerifyResult, VerifyStep } from './types.js';

const step = (over: Partial<VerifyStep> = {}): VerifyStep => ({
  phase: 'run',
  command: ['python3', 'main.py'],
  exitCode: 1,
  signal: null,
  timedOut: false,
  outputLimitExceeded: false,
  stdout: '',
  stderr: 'NameError',
  truncated: false,
  durationMs: 5,
  ...over,
});
const failed = (over: Partial<VerifyStep> = {}): VerifyResult => ({
  ok: false,
  steps: [step(over)],
  durationMs: 5,
  error: { type: over.timedOut ? 'Timeout' : 'NameError', message: 'x' },
});
const opts: VerifyOptions = {
  language: 'python',
  files: [{ path: 'main.py', content: 'x' }],
  timeoutMs: 1000,
};

function scene(result: VerifyResult) {
  const stored = new Map<string, VerifyResult>();
  const memo: VerifyMemo = {
    get: async (key) => stored.get(key),
    put: async (key, value) => void stored.set(key, value),
  };
  let runs = 0;
  let description = { kind: 'bubblewrap', workRoot: '/var/tmp/a' } as SandboxDescription;
  const verify = memoised(
    memo,
    () => description,
    async () => {
      runs += 1;
      return result;
    },
  );
  return {
    verify,
    runs: () => runs,
    stored,
    describeAs: (d: Partial<SandboxDescription>) => {
      description = { ...description, ...d };
    },
  };
}

describe('the verification memo', () => {
  it('runs identical input once and replays the result', async () => {
    const s = scene(failed());
    expect(await s.verify(opts)).toEqual(failed());
    expect(await s.verify({ ...opts, files: [{ path: 'main.py', content: 'x' }] })).toEqual(failed());
    expect(s.runs()).toBe(1);
    await s.verify({ ...opts, files: [{ path: 'main.py', content: 'y' }] });
    await s.verify({ ...opts, entry: 'other.py' });
    await s.verify({ ...opts, timeoutMs: 2000 });
    expect(s.runs()).toBe(4);
  });

  it('keys on the sandbox too: another mode or work root runs again', async () => {
    const s = scene(failed());
    await s.verify(opts);
    s.describeAs({ kind: 'insecure-process' });
    await s.verify(opts);
    expect(s.runs()).toBe(2);
  });

  it('never remembers what the host could have decided: a timeout, a killed or output-capped step', async () => {
    for (const over of [{ timedOut: true }, { signal: 'SIGKILL' as const }, { outputLimitExceeded: true }]) {
      const s = scene(failed(over));
      await s.verify(opts);
      await s.verify(opts);
      expect(s.runs(), JSON.stringify(over)).toBe(2);
      expect(s.stored.size).toBe(0);
    }
  });

  it('never replays a verification with installed dependencies (their content is not in the input)', async () => {
    const s = scene(failed());
    const withDeps = {
      ...opts,
      dependencies: { hostDir: '/var/tmp/d', key: 'k' },
    } as unknown as VerifyOptions;
    await s.verify(withDeps);
    await s.verify(withDeps);
    expect(s.runs()).toBe(2);
  });
});
