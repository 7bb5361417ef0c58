import { describe, expect, it } from 'vitest';
import { runSupervised } from '../src/run-supervised.js';

/**
 * The host's side of the status channel, with stand-in supervisors: what a program that reached the
 * channel could make it say. (In the sandbox it cannot reach it: hostile.test.ts.)
 */
const supervise = (script: string, stepCount = 2) =>
  runSupervised({
    argv: ['/bin/sh', '-c', script],
    cwd: '/',
    env: { PATH: '/usr/bin:/bin' },
    stepCount,
    timeoutMs: 5_000,
    outputBytes: 4096,
    drainBytes: 65_536,
  });

describe('the status channel', () => {
  it("the supervisor's own lines: every step with its status, nothing flagged", async () => {
    const run = await supervise(
      'echo R >&3; echo "B 0" >&3; echo "E 0 0" >&3; echo "B 1" >&3; echo "E 1 3" >&3',
    );
    expect(run.tampered).toBeUndefined();
    expect(run.steps.map((s) => s.exitCode)).toEqual([0, 3]);
  });

  it('a passing line written before the true one: StatusForged, whatever came first', async () => {
    const run = await supervise(
      'echo R >&3; echo "B 0" >&3; echo "E 0 0" >&3; echo "B 1" >&3; echo "E 1 0" >&3; echo "E 1 3" >&3',
    );
    expect(run.tampered).toMatch(/unexpected status line "E 1 3"/);
  });

  it('a step reported out of order, a malformed line, a flood: each flagged', async () => {
    expect((await supervise('echo R >&3; echo "B 1" >&3')).tampered).toMatch(/"B 1"/);
    expect((await supervise('echo R >&3; echo "B 0 x" >&3')).tampered).toMatch(/"B 0 x"/);
    expect(
      (
        await supervise(
          'echo R >&3; echo "B 0" >&3; echo "E 0 0" >&3; echo "B 1" >&3; echo "E 1 0" >&3; echo "B 2" >&3',
        )
      ).tampered,
    ).toMatch(/"B 2"/);
    const flood = await supervise('echo R >&3; head -c 5000 /dev/zero | tr "\\0" x >&3');
    expect(flood.tampered).toMatch(/more status output/);
  });

  it('a passing line, then the supervisor killed before it could write the true one: the step counts as killed', async () => {
    const run = await supervise('echo R >&3; echo "B 0" >&3; echo "E 0 0" >&3; kill -9 $$', 1);
    expect(run.tampered).toBeUndefined();
    expect(run.steps).toMatchObject([{ exitCode: null, signal: 'SIGKILL' }]);
  });
});
