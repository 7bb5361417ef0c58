import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWorkRoot, SandboxFault, SandboxUnavailableError } from '../src/index.js';
import { file, makeSandbox, VERIFY_TIMEOUT_MS } from './helpers.js';

let privateParent: string;
beforeAll(async () => {
  // As `mktemp -d` or a per-user runtime dir makes it: only its owner may enter.
  privateParent = await mkdtemp('/var/tmp/hardfix-test-private-');
  await chmod(privateParent, 0o700);
});
afterAll(async () => {
  await rm(privateParent, { recursive: true, force: true });
});

const hello = {
  language: 'python' as const,
  files: [file('main.py', 'print("hi")')],
  timeoutMs: VERIFY_TIMEOUT_MS,
};

describe('sandbox start-up', () => {
  it('works with a TMPDIR under a 0700 directory: the work root does not follow TMPDIR', async () => {
    const tmp = join(privateParent, 'tmp');
    await mkdir(tmp);
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const sandbox = await makeSandbox();
      expect(sandbox.describe().workRoot).toBe(defaultWorkRoot());
      const health = await sandbox.selfTest();
      expect(health).toMatchObject({ state: 'ready', reasons: [] });
      expect(await sandbox.verify(hello)).toMatchObject({ ok: true });
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });

  it('refuses a SANDBOX_WORK_DIR the sandbox users cannot reach, naming the directory and the fix', async () => {
    const root = join(privateParent, 'work');
    const refused = makeSandbox({ workRoot: root });
    await expect(refused).rejects.toBeInstanceOf(SandboxUnavailableError);
    await expect(refused).rejects.toThrow(
      `${privateParent} (mode 0700) cannot be entered by the sandbox users`,
    );
  });

  it('refuses to start without bubblewrap in the default mode, with the fix in one line', async () => {
    const refused = makeSandbox({ bwrapPath: '/nonexistent/bwrap' });
    await expect(refused).rejects.toBeInstanceOf(SandboxUnavailableError);
    await expect(refused).rejects.toThrow(
      /install bubblewrap.*user namespaces.*SANDBOX_MODE=insecure-process/,
    );
  });

  it('refuses to start when a program could create a nested user namespace (a bubblewrap that does not disable them)', async () => {
    // bubblewrap as before 0.8, or with the flags lost: the same sandbox without --disable-userns.
    const bwrap = join(privateParent, 'old-bwrap');
    await writeFile(
      bwrap,
      [
        '#!/bin/sh',
        'for a do shift; case "$a" in --disable-userns|--assert-userns-disabled) ;; *) set -- "$@" "$a";; esac; done',
        'exec /usr/bin/bwrap "$@"',
      ].join('\n'),
    );
    await chmod(privateParent, 0o711);
    await chmod(bwrap, 0o755);
    try {
      const refused = makeSandbox({ bwrapPath: bwrap });
      await expect(refused).rejects.toBeInstanceOf(SandboxUnavailableError);
      await expect(refused).rejects.toThrow(
        /a program could create a nested user namespace \(unshare -U succeeded\).*bubblewrap >= 0\.8/,
      );
    } finally {
      await chmod(privateParent, 0o700);
    }
  });

  it('reports what isolation holds beyond the per-process limits, with the reason cgroup limits are not applied', async () => {
    const sandbox = await makeSandbox();
    const isolation = sandbox.health().isolation;
    expect(isolation).toMatchObject({
      nestedNamespaces: false,
      inheritedDescriptorsClosed: true,
      cgroupLimits: { applied: false },
    });
    expect(isolation.cgroupLimits.reason).toMatch(/cgroup/);
    expect(sandbox.describe().isolation).toEqual(isolation);
  });

  it('an interpreter that is a failing binary fails the self-test and is a SandboxFault, not a program error', async () => {
    const sandbox = await makeSandbox({ interpreters: { python3: '/usr/bin/false' } });
    const health = await sandbox.selfTest();
    expect(health.state).toBe('failed');
    expect(health.reasons.join('\n')).toMatch(
      /self-test failed for python: a known-good python program failed/,
    );
    // The message names the reason when it fails (a CI run once saw javascript fail here).
    expect(health.languages.javascript, JSON.stringify(health.languages.javascript)).toMatchObject({
      ok: true,
    });
    await expect(sandbox.verify(hello)).rejects.toBeInstanceOf(SandboxFault);
  });

  it('a missing interpreter is a SandboxFault for its projects, not a failure of the others', async () => {
    const sandbox = await makeSandbox({ interpreters: { java: '/nonexistent/java' } });
    const health = await sandbox.selfTest();
    expect(health).toMatchObject({ state: 'ready' });
    expect(health.languages.java).toMatchObject({
      ok: false,
      installed: false,
      reason: 'not installed: java (/nonexistent/java)',
    });
    // Only java's tools are missing: the other languages passed their self-tests.
    expect(health.languages.python).toMatchObject({ ok: true, installed: true });
    const java = { language: 'java' as const, files: [file('Main.java', 'class Main {}')], timeoutMs: 5_000 };
    await expect(sandbox.verify(java)).rejects.toThrow(/java is not installed/);
  });
});
