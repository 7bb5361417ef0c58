import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox, SandboxMode, VerifyResult } from '../src/index.js';
import { file, makeSandbox, SEE_SERVICE, seenOfService, workspacesLeft } from './helpers.js';

/**
 * Hostile programs, each a real program run in the real sandbox, each next to a well-behaved project
 * verified at the same time: the hostile one must be contained (what it tried is refused, bounded, or
 * gone when the run ends) and the well-behaved one must still verify.
 */

const MiB = 1024 * 1024;
// A uid range of this file's own, so process counts are not disturbed by other test files.
const UIDS = Array.from({ length: 4 }, (_, i) => 62_100 + i);
const INSECURE_UIDS = Array.from({ length: 4 }, (_, i) => 62_200 + i);
const FD_UID = 62_300;
const TIMEOUT_MS = 8_000;
const SECRET = 'sk-ant-hostile-test-secret';

const sandboxes: Partial<Record<SandboxMode, Sandbox>> = {};
let workRoot: string;
beforeAll(async () => {
  // Not under TMPDIR: CI runs the suite with a private one, which the sandbox users cannot enter.
  workRoot = `/var/tmp/hardfix-test-hostile-${process.pid}`;
  const limits = { memoryBytes: 64 * MiB, workspaceBytes: 8 * MiB, tmpBytes: 8 * MiB, shmBytes: 4 * MiB };
  sandboxes.bubblewrap = await makeSandbox({ workRoot, uids: UIDS, limits });
  sandboxes['insecure-process'] = await makeSandbox({
    mode: 'insecure-process',
    workRoot: `${workRoot}-insecure`,
    uids: INSECURE_UIDS,
    limits,
  });
  process.env.ANTHROPIC_API_KEY = SECRET;
});
afterAll(async () => {
  delete process.env.ANTHROPIC_API_KEY;
  await rm(workRoot, { recursive: true, force: true });
  await rm(`${workRoot}-insecure`, { recursive: true, force: true });
});

const WELL_BEHAVED = [file('main.py', 'import json', 'print(json.dumps({"sum": sum(range(10))}))')];

/** Runs the hostile program and a well-behaved one at once; the well-behaved one must verify. */
async function hostile(content: string[], mode: SandboxMode = 'bubblewrap'): Promise<VerifyResult> {
  const sandbox = sandboxes[mode];
  if (!sandbox) throw new Error(`no ${mode} sandbox`);
  const [result, neighbour] = await Promise.all([
    sandbox.verify({ language: 'python', files: [file('main.py', ...content)], timeoutMs: TIMEOUT_MS }),
    sandbox.verify({ language: 'python', files: WELL_BEHAVED, timeoutMs: TIMEOUT_MS }),
  ]);
  expect(neighbour.ok).toBe(true);
  expect(neighbour.steps.at(-1)?.stdout).toBe('{"sum": 45}\n');
  return result;
}

const stdout = (r: VerifyResult) => r.steps.at(-1)?.stdout ?? '';

/** A sleeper in a session of its own, and one double-forked out of its parent's reach. */
const SETSID_SLEEPERS = [
  'import os, subprocess',
  'subprocess.Popen(["sleep", "1000"], start_new_session=True)',
  'if os.fork() == 0:',
  '    os.setsid()',
  '    if os.fork() == 0:',
  '        os.execvp("sleep", ["sleep", "1000"])',
  '    os._exit(0)',
  'print("spawned")',
];

/** 256 MiB of shared anonymous memory, touched page by page, under a 64 MiB limit. */
const SHM_BOMB = [
  'import mmap',
  'MiB = 1 << 20',
  'try:',
  '    m = mmap.mmap(-1, 256 * MiB, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)',
  '    for i in range(0, 256 * MiB, 4096):',
  '        m[i] = 1',
  '    print("touched all")',
  'except (OSError, MemoryError) as e:',
  '    print("refused", type(e).__name__)',
];

/**
 * `to_supervisor(data)`: writes to descriptors 0–63 of the supervisor (this program's parent), its
 * status channel among them, through copies taken with pidfd_getfd (syscall 438); open() on
 * /proc/<pid>/fd/N of a socket fails, a copy would not. Returns the descriptors it reached.
 */
const WRITE_TO_SUPERVISOR = [
  'import ctypes, os, sys',
  'def to_supervisor(data):',
  '    libc = ctypes.CDLL(None, use_errno=True)',
  '    pidfd = os.pidfd_open(os.getppid())',
  '    reached = []',
  '    for name in range(64):',
  '        fd = libc.syscall(438, pidfd, name, 0)',
  '        try:',
  '            os.write(fd, data)',
  '            reached.append(name)',
  '        except OSError:',
  '            pass',
  '    return reached',
];

const SYMLINK_MAIN = ['import os', 'os.remove("main.py")', 'os.symlink("/etc/shadow", "main.py")'];

async function processesOf(uids: number[]): Promise<number> {
  let count = 0;
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    if (uids.includes(uid) && !/^State:\s+Z/m.test(status)) count++;
  }
  return count;
}

const sha = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe('hostile programs (bubblewrap)', () => {
  it("cannot read the service's environment through /proc (pid 1, its parent, any pid it can see)", async () => {
    const result = await hostile([
      'import os',
      'found = []',
      'for pid in [p for p in os.listdir("/proc") if p.isdigit()] + ["self", str(os.getppid())]:',
      '    try:',
      '        if b"sk-ant" in open(f"/proc/{pid}/environ", "rb").read(): found.append(pid)',
      '    except OSError:',
      '        pass',
      'print("secret found in", found if found else "nothing")',
      'print("pids visible", len([p for p in os.listdir("/proc") if p.isdigit()]))',
    ]);
    expect(result.ok).toBe(true);
    expect(stdout(result)).toMatch(/^secret found in nothing\npids visible \d\n$/);
  });

  it('cannot read /etc/shadow, /etc/passwd, the service files or the host workspace', async () => {
    const result = await hostile([
      'import os',
      `for p in ["/etc/shadow", "/etc/passwd", "/etc/hosts", "/root", "${workRoot}", "/var/tmp", "/home"]:`,
      '    print(p, os.path.exists(p))',
      'print("etc", sorted(os.listdir("/etc")))',
      ...SEE_SERVICE,
    ]);
    const out = stdout(result);
    for (const p of ['/etc/shadow', '/etc/passwd', '/etc/hosts', '/root', workRoot, '/var/tmp', '/home'])
      expect(out).toContain(`${p} False`);
    const etc = /^etc (.*)$/m.exec(out)?.[1] ?? '';
    expect(etc).toContain('ld.so.cache');
    expect(etc).not.toMatch(/shadow|passwd|hostname|hosts|redis|npmrc|ssh/);
    // Of the service's checkout only the toolchain packages bound read-only from its node_modules
    // (typescript's compiler, Node's type declarations) are there: none of its own files.
    const seen = seenOfService(out);
    expect(seen.own).toEqual([]);
    expect(seen.top.filter((name) => name !== 'node_modules')).toEqual([]);
    for (const name of seen.bound) expect(name).toMatch(/^(?:typescript|@types\+node|undici-types)@/);
  });

  it('cannot connect to the host Redis, and has no route anywhere else', async () => {
    // Only loopback addresses are ever dialled; "no route" is read from the kernel's own tables.
    const result = await hostile([
      'import socket',
      'try:',
      '    socket.create_connection(("127.0.0.1", 6379), timeout=1).close()',
      '    print("redis reachable")',
      'except OSError:',
      '    print("redis unreachable")',
      'print("interfaces", sorted(l.split(":")[0].strip() for l in open("/proc/net/dev").readlines()[2:]))',
      'print("ipv4 routes", len(open("/proc/net/route").readlines()[1:]))',
      'print("ipv6 routes off lo", [l for l in open("/proc/net/ipv6_route") if l.split()[-1] != "lo"])',
    ]);
    expect(stdout(result)).toBe(
      "redis unreachable\ninterfaces ['lo']\nipv4 routes 0\nipv6 routes off lo []\n",
    );
  });

  it('a fork bomb is refused at the process limit and leaves nothing behind', async () => {
    const result = await hostile([
      'import os, time',
      'n = 0',
      'try:',
      '    while True:',
      '        if os.fork() == 0:',
      '            time.sleep(60)',
      '            os._exit(0)',
      '        n += 1',
      'except OSError:',
      '    print("refused after", n)',
    ]);
    expect(stdout(result)).toMatch(/^refused after \d+\n$/);
    expect(Number(/after (\d+)/.exec(stdout(result))?.[1])).toBeLessThan(128);
    expect(await processesOf(UIDS)).toBe(0);
  });

  it('a shared-memory bomb cannot touch more than the memory limit', async () => {
    const result = await hostile(SHM_BOMB);
    expect(stdout(result)).toMatch(/^refused (OSError|MemoryError)\n$/);
  });

  it('filling /tmp, /dev/shm and the workspace stops at their sizes', async () => {
    const result = await hostile([
      'import os',
      'MiB = 1 << 20',
      'for d in ["/tmp", "/dev/shm", "."]:',
      '    written = 0',
      '    try:',
      '        with open(os.path.join(d, "fill"), "wb") as f:',
      '            for _ in range(64):',
      '                f.write(b"x" * MiB)',
      '                f.flush()',
      '                written += 1',
      '    except OSError as e:',
      '        pass',
      '    print(d, written)',
      'try:',
      '    open("/dev/evil", "w")',
      'except OSError:',
      '    print("/dev read-only")',
    ]);
    const sizes = Object.fromEntries(
      [...stdout(result).matchAll(/^(\S+) (\d+)$/gm)].map((m) => [m[1], Number(m[2])]),
    );
    // Filled up to (about) the size, and no further.
    expect(sizes['/tmp']).toBeGreaterThanOrEqual(6);
    expect(sizes['/tmp']).toBeLessThanOrEqual(8);
    expect(sizes['/dev/shm']).toBeGreaterThanOrEqual(2);
    expect(sizes['/dev/shm']).toBeLessThanOrEqual(4);
    expect(sizes['.']).toBeGreaterThanOrEqual(6);
    expect(sizes['.']).toBeLessThanOrEqual(8);
    expect(stdout(result)).toContain('/dev read-only');
    // The workspace on the host is the read-only source copy, removed after the run.
    expect(await workspacesLeft(workRoot)).toEqual([]);
  });

  it('100,000 small files end at the workspace size or the time limit, and are gone afterwards', async () => {
    const result = await hostile([
      'import os',
      'n = 0',
      'try:',
      '    for i in range(100000):',
      '        with open(f"f{i}", "w") as f:',
      '            f.write("x")',
      '        n += 1',
      'except OSError as e:',
      '    print("stopped", n, e.errno)',
      'else:',
      '    print("wrote", n)',
    ]);
    // Each file takes a page of the 8 MiB tmpfs: ENOSPC (28) long before 100,000.
    expect(stdout(result)).toMatch(/^stopped \d+ 28\n$/);
    expect(await workspacesLeft(workRoot)).toEqual([]);
  });

  it('setsid + sleep forever: the run ends when the program does, and the sleeper is gone', async () => {
    const result = await hostile(SETSID_SLEEPERS);
    expect(result.ok).toBe(true);
    // Ended with the program, not at the time limit (no step was killed for time).
    expect(result.steps.some((s) => s.timedOut)).toBe(false);
    expect(await processesOf(UIDS)).toBe(0);
  });

  it('cannot reach its supervisor: no ptrace, no /proc/<pid>/mem or fd, no copy of its descriptors', async () => {
    // The supervisor (this program's parent, same uid) reports each step's exit status. Reaching it
    // would let a program report its own verdict: write "passed" for every step, then fail.
    const result = await hostile([
      ...WRITE_TO_SUPERVISOR,
      'libc = ctypes.CDLL(None, use_errno=True)',
      'pp = os.getppid()',
      'print("ptrace", libc.ptrace(16, pp, 0, 0), os.strerror(ctypes.get_errno()))',
      'for what in ("mem", "fd"):',
      '    try:',
      '        open(f"/proc/{pp}/mem", "r+b") if what == "mem" else os.listdir(f"/proc/{pp}/fd")',
      '        print(what, "open")',
      '    except OSError as e:',
      '        print(what, e.strerror)',
      'print("reached", to_supervisor("".join(f"B {i}\\nE {i} 0\\n" for i in range(4)).encode()))',
      'sys.stdout.flush()',
      'os._exit(3)',
    ]);
    expect(stdout(result)).toBe(
      'ptrace -1 Operation not permitted\nmem Permission denied\nfd Permission denied\nreached []\n',
    );
    expect(result.ok).toBe(false);
    expect(result.steps.at(-1)?.exitCode).toBe(3);
  });

  it('cannot create a nested namespace: unshare -Urm fails, so no tmpfs beyond the sized ones', async () => {
    // Inside a user namespace of its own a program may mount a tmpfs sized by nothing here (half the
    // host's RAM): 12 x 8 MiB there would be 96 MiB held under a 64 MiB memory limit.
    const result = await hostile([
      'import subprocess',
      'fill = "mount -t tmpfs none /tmp && for i in 1 2 3 4 5 6 7 8 9 10 11 12; do head -c 8M /dev/zero > /tmp/f$i || exit 1; done && du -sm /tmp"',
      'r = subprocess.run(["unshare", "-Urm", "sh", "-c", fill], capture_output=True, text=True)',
      'print("unshare", "refused" if r.returncode else "allowed", r.stdout.split()[:1])',
      'import ctypes, os',
      'libc = ctypes.CDLL(None, use_errno=True)',
      // CLONE_NEWUSER, CLONE_NEWNS, CLONE_NEWNET, each alone.
      'for flag in (0x10000000, 0x00020000, 0x40000000):',
      '    print(hex(flag), libc.unshare(flag), os.strerror(ctypes.get_errno()))',
    ]);
    expect(stdout(result)).toBe(
      'unshare refused []\n0x10000000 -1 No space left on device\n0x20000 -1 Operation not permitted\n0x40000000 -1 Operation not permitted\n',
    );
  });

  it('cannot read a descriptor the worker inherited (a 0600 file the worker holds open)', async () => {
    const dir = await mkdtemp('/var/tmp/hardfix-test-fd-');
    try {
      const secretPath = join(dir, 'secret');
      await writeFile(secretPath, 'inherited-secret');
      await chmod(secretPath, 0o600);
      const secret = await open(secretPath, 'r');
      const FD = 40;
      // The worker gets it on FD without close-on-exec, as from a process manager or a wrapper.
      const stdio = Array.from({ length: FD + 1 }, (_, i) =>
        i === FD ? secret.fd : i === 1 || i === 2 ? ('pipe' as const) : ('ignore' as const),
      );
      const worker = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(import.meta.dirname, 'fixtures/inherited-descriptor.ts'),
          `${workRoot}-fd`,
          String(FD),
          String(FD_UID),
        ],
        { cwd: import.meta.dirname, stdio },
      );
      let out = '';
      let err = '';
      worker.stdout?.on('data', (c: Buffer) => {
        out += c;
      });
      worker.stderr?.on('data', (c: Buffer) => {
        err += c;
      });
      const code = await new Promise((r) => worker.on('close', r));
      await secret.close();
      expect(err).toBe('');
      expect(code).toBe(0);
      const report = JSON.parse(out) as { worker: string; ok: boolean; program: string };
      expect(report.worker).toBe('inherited-secret');
      expect(report.ok).toBe(true);
      expect(report.program).not.toContain('inherited-secret');
      expect(report.program).toMatch(/^descriptors \[0, 1, 2, 3\]\nread refused: Bad file descriptor\n$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(`${workRoot}-fd`, { recursive: true, force: true });
    }
  });

  it('symlinks to /etc made during the run reach nothing on the host', async () => {
    const before = await sha('/etc/shadow');
    const result = await hostile([...SYMLINK_MAIN, 'os.symlink("/etc", "etc")', 'print("linked")']);
    expect(stdout(result)).toBe('linked\n');
    expect(await sha('/etc/shadow')).toBe(before);
    expect(await workspacesLeft(workRoot)).toEqual([]);
  });
});

describe('hostile programs (insecure-process, the opt-in without namespaces)', () => {
  it('setsid + double fork survivors are killed when the run ends (the uid is the run’s alone)', async () => {
    const result = await hostile(SETSID_SLEEPERS, 'insecure-process');
    expect(result.ok).toBe(true);
    expect(result.steps.some((s) => s.timedOut)).toBe(false);
    expect(await processesOf(INSECURE_UIDS)).toBe(0);
  });

  it('a symlink to /etc/shadow in the workspace is removed, not followed', async () => {
    const before = await sha('/etc/shadow');
    const result = await hostile([...SYMLINK_MAIN, 'print("linked")'], 'insecure-process');
    expect(stdout(result)).toBe('linked\n');
    expect(await sha('/etc/shadow')).toBe(before);
    expect(await workspacesLeft(`${workRoot}-insecure`)).toEqual([]);
  });

  it('the shared-memory bomb is refused here too (RLIMIT_AS needs no namespace)', async () => {
    const result = await hostile(SHM_BOMB, 'insecure-process');
    expect(stdout(result)).toMatch(/^refused (OSError|MemoryError)\n$/);
  });
});
