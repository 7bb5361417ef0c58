import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Runs an entry point as its own process (as compose does) and returns how it ended. */
function run(
  argv: string[],
  env: Record<string, string>,
  /** Sent SIGTERM once stdout shows this (a process expected to start rather than refuse). */
  stopWhen?: string,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // A closed port: a process that refuses to start must do so before it needs Redis.
      REDIS_URL: 'redis://127.0.0.1:1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let stopping = false;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    // A moment later: the entry point installs its signal handlers just after it starts listening.
    if (stopWhen && !stopping && stdout.includes(stopWhen)) {
      stopping = true;
      setTimeout(() => child.kill('SIGTERM'), 500);
    }
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((ok) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      ok({ code, stderr, stdout });
    }),
  );
}

const node = (entry: string) => [process.execPath, '--import', 'tsx', entry];

let privateParent: string;
beforeAll(async () => {
  privateParent = await mkdtemp('/var/tmp/hardfix-test-refuse-');
  await chmod(privateParent, 0o700);
});
afterAll(async () => {
  await rm(privateParent, { recursive: true, force: true });
});

describe('only a worker needs a working sandbox: it refuses to start without one, with the fix in one line', () => {
  it('with a SANDBOX_WORK_DIR the sandbox users cannot enter', async () => {
    const result = await run(node('services/worker/src/main.ts'), {
      SANDBOX_WORK_DIR: `${privateParent}/work`,
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^hardfix: refusing to start: SANDBOX_WORK_DIR ${privateParent}/work: ${privateParent} \\(mode 0700\\) cannot be entered`,
      ),
    );
  });

  it('with a DEPENDENCY_CACHE_DIR the sandbox users cannot enter (it is bound into every sandbox)', async () => {
    const result = await run(node('services/worker/src/main.ts'), {
      DEPENDENCY_CACHE_DIR: `${privateParent}/deps`,
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^hardfix: refusing to start: DEPENDENCY_CACHE_DIR ${privateParent}/deps: ${privateParent} \\(mode 0700\\) cannot be entered`,
      ),
    );
  });

  it('the API runs no code and has no sandbox: the same environment starts it, and SIGTERM stops it cleanly', async () => {
    const result = await run(
      node('services/api/src/main.ts'),
      {
        SANDBOX_WORK_DIR: `${privateParent}/work`,
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
      },
      'Server listening',
    );
    expect(result.stderr).not.toContain('refusing to start');
    expect(result.stdout).toContain('Server listening');
    expect(result.code).toBe(0);
  });

  it('the worker, when bubblewrap cannot run (here: /usr/bin/bwrap replaced by a failing binary)', async () => {
    // A mount namespace of this test's own: the host's bwrap is untouched.
    const hidden = `mount --bind /usr/bin/false /usr/bin/bwrap && exec "$@"`;
    const result = await run(
      ['unshare', '--mount', '--', '/bin/sh', '-c', hidden, 'sh', ...node('services/worker/src/main.ts')],
      {},
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^hardfix: refusing to start: bubblewrap does not work here \(the sandbox did not come up \(exit 1\).*\): install bubblewrap .*SANDBOX_MODE=insecure-process/,
    );
  });
});
