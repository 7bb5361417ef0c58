import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, UnsafePathError } from '../src/index.js';
import {
  file,
  makeSandbox,
  SEE_SERVICE,
  seenOfService,
  VERIFY_TIMEOUT_MS,
  workspacesLeft,
} from './helpers.js';

// Dedicated uids, so process counts below are not disturbed by other test files running at once.
const FORK_UID = 61_900;
let sandbox: Sandbox;
let workRoot: string;
beforeAll(async () => {
  // Not under TMPDIR: CI runs the suite with a private one, which the sandbox users cannot enter.
  workRoot = await mkdtemp('/var/tmp/hardfix-test-isolation-');
  // The sandbox uids must be able to reach their workspace inside it.
  await chmod(workRoot, 0o711);
  sandbox = await makeSandbox({ mode: 'bubblewrap', workRoot, uids: [FORK_UID, FORK_UID + 1] });
});
afterAll(async () => {
  await rm(workRoot, { recursive: true, force: true });
});

const python = (content: string[], timeoutMs = VERIFY_TIMEOUT_MS) =>
  sandbox.verify({ language: 'python', files: [file('main.py', ...content)], timeoutMs });

const DUMP_ENV = ['import json, os', 'print(json.dumps(dict(os.environ)))'];

async function processesOf(uid: number): Promise<number> {
  let count = 0;
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    // Zombies are dead already; they wait for whoever reaps orphans in this container.
    if (new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status) && !/^State:\s+Z/m.test(status)) count++;
  }
  return count;
}

describe('sandbox isolation (bubblewrap)', () => {
  it('describes itself as bubblewrap without network', () => {
    expect(sandbox.describe()).toMatchObject({ kind: 'bubblewrap', network: false, uid: FORK_UID });
  });

  it("does not leak the parent's environment to the program", async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-test-secret';
    process.env.REDIS_URL = 'redis://127.0.0.1:6379';
    try {
      const result = await python(DUMP_ENV);
      expect(result.ok).toBe(true);
      const env = JSON.parse(result.steps.at(-1)?.stdout ?? '{}') as Record<string, string>;
      expect(env).not.toHaveProperty('ANTHROPIC_API_KEY');
      expect(env).not.toHaveProperty('REDIS_URL');
      expect(Object.keys(env).sort()).toEqual(['HOME', 'LANG', 'PATH', 'PWD']);
      expect(env.HOME).toBe('/sandbox');
      expect(env.PATH).toBe('/usr/bin:/bin');
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
      delete process.env.REDIS_URL;
    }
  });

  it('kills an infinite loop at the time limit and still works afterwards', async () => {
    const limit = 1500;
    const result = await python(['while True:', '    pass'], limit);
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('Timeout');
    expect(result.steps.at(-1)).toMatchObject({ phase: 'run', timedOut: true, signal: 'SIGKILL' });

    const next = await python(['print("still alive")']);
    expect(next.ok).toBe(true);
  });

  it('kills a process tree that ignores SIGTERM, children included', async () => {
    const result = await python(
      [
        'import os, signal, time',
        'signal.signal(signal.SIGTERM, signal.SIG_IGN)',
        'for _ in range(3):',
        '    if os.fork() == 0:',
        '        break',
        'time.sleep(60)',
      ],
      1500,
    );
    expect(result.error?.type).toBe('Timeout');
    expect(await processesOf(FORK_UID)).toBe(0);
  });

  it('caps a stdout flood and stops it early', async () => {
    const result = await python(['while True:', "    print('x' * 1000)"]);
    const run = result.steps.at(-1);
    expect(result.error?.type).toBe('OutputLimitExceeded');
    expect(run).toMatchObject({ truncated: true, outputLimitExceeded: true });
    expect(Buffer.byteLength(run?.stdout ?? '')).toBeLessThanOrEqual(64 * 1024);
    // Stopped by the drain bound, not by the wall clock.
    expect(run?.timedOut).not.toBe(true);
  });

  it('rejects a path-traversal file name and writes nothing', async () => {
    await expect(
      sandbox.verify({
        language: 'python',
        files: [file('main.py', 'print(1)'), file('../escaped.py', 'print(2)')],
        timeoutMs: VERIFY_TIMEOUT_MS,
      }),
    ).rejects.toBeInstanceOf(UnsafePathError);
    expect(existsSync(join(workRoot, 'escaped.py'))).toBe(false);
    expect(await workspacesLeft(workRoot)).toEqual([]);
  });

  it('cannot read outside its workspace or write to the system', async () => {
    const result = await python([
      'import os',
      'print(os.path.exists("/root"))',
      'try:',
      '    open("/usr/evil", "w")',
      'except OSError as e:',
      '    print("write refused", type(e).__name__)',
      ...SEE_SERVICE,
    ]);
    const out = result.steps.at(-1)?.stdout ?? '';
    expect(out).toMatch(/^False\nwrite refused OSError\n/);
    expect(seenOfService(out).own).toEqual([]);
  });
});

describe('sandbox fallback (prlimit only)', () => {
  it('still runs with a minimal environment and says the network is not isolated', async () => {
    const fallback = await makeSandbox({ mode: 'insecure-process', workRoot });
    expect(fallback.describe()).toMatchObject({ kind: 'insecure-process', network: true });
    process.env.ANTHROPIC_API_KEY = 'sk-ant-test-secret';
    try {
      const result = await fallback.verify({
        language: 'python',
        files: [file('main.py', ...DUMP_ENV)],
        timeoutMs: VERIFY_TIMEOUT_MS,
      });
      expect(result.ok).toBe(true);
      const env = JSON.parse(result.steps.at(-1)?.stdout ?? '{}') as Record<string, string>;
      expect(env).not.toHaveProperty('ANTHROPIC_API_KEY');
      expect(env.PATH).toBe('/usr/bin:/bin');
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
    }
  });

  it('extracts errors printed with host workspace paths', async () => {
    const fallback = await makeSandbox({ mode: 'insecure-process', workRoot });
    const result = await fallback.verify({
      language: 'python',
      files: [file('main.py', 'import lib', 'lib.run()'), file('lib.py', 'def run():', '    return 1 / 0')],
      timeoutMs: VERIFY_TIMEOUT_MS,
    });
    expect(result.error).toMatchObject({
      type: 'ZeroDivisionError',
      message: 'division by zero',
      file: 'lib.py',
      line: 2,
    });
  });
});
