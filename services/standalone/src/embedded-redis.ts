import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { pingRedis } from './ping-redis.js';

/** A refusal to start that names its fix; the entry point prints it as one line (exitOnStartupError). */
export class EmbeddedRedisError extends Error {
  readonly code = 'EMBEDDED_REDIS_UNAVAILABLE';
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedRedisError';
  }
}

export interface EmbeddedRedis {
  url: string;
  /** The data directory (append-only file, redis.log). */
  dir: string;
  /** False when another hardfix process of this checkout started it: this one uses it, never stops it. */
  owned: boolean;
  /** Stops the server (its append-only file flushed), when this process started it. Idempotent. */
  stop(): Promise<void>;
}

const OWNER_FILE = 'owner.json';

/**
 * Runs the server under a shell that holds a pipe from this process: when this process ends, however
 * it ends (SIGKILL included), the pipe closes, `read` returns, and the shell stops the server. The shell
 * has a process group of its own, so a Ctrl-C at the terminal reaches this process, which stops it in
 * order. A non-interactive shell gives a background job /dev/null as stdin: the server never holds the pipe.
 */
const GUARD = 'redis-server "$@" & pid=$!; read -r _; kill -TERM "$pid" 2>/dev/null; wait "$pid"';

async function onPath(program: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, program);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The port of the server another live process of this checkout runs from `dir`, if it still answers. */
export async function embeddedRedisRunning(dir: string): Promise<number | undefined> {
  try {
    const owner = JSON.parse(await readFile(join(dir, OWNER_FILE), 'utf8')) as {
      pid?: number;
      port?: number;
    };
    if (typeof owner.pid !== 'number' || typeof owner.port !== 'number') return;
    if (!alive(owner.pid)) return;
    return (await pingRedis('127.0.0.1', owner.port)) === '+PONG' ? owner.port : undefined;
  } catch {
    return undefined;
  }
}

async function logTail(dir: string): Promise<string> {
  const log = await readFile(join(dir, 'redis.log'), 'utf8').catch(() => '');
  const lines = log.trim().split('\n').slice(-3);
  return lines.map((l) => l.replace(/^\d+:[A-Z] [^*#.-]*[*#.-] /, '')).join(' | ');
}

async function waitUntilUp(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    // Loading the append-only file answers -LOADING until done.
    if ((await pingRedis('127.0.0.1', port, 500).catch(() => '')) === '+PONG') return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/**
 * Starts a private `redis-server` from PATH on a free loopback port, with the append-only file on and its
 * data in `dir`, for `pnpm start` and `pnpm demo` on a machine without a Redis. If another process of
 * this checkout already runs one from `dir`, that one is used (two servers must never share an
 * append-only file).
 */
export async function startEmbeddedRedis(options: {
  dir: string;
  /** @defaultValue process.env.PATH */
  path?: string | undefined;
  timeoutMs?: number;
}): Promise<EmbeddedRedis> {
  const { dir, timeoutMs = 30_000 } = options;
  // The server is found as a shell would find it; it gets PATH and nothing else of this environment.
  const path = options.path ?? process.env.PATH ?? '/usr/bin:/bin';
  const program = await onPath('redis-server', path);
  if (!program)
    throw new EmbeddedRedisError(
      'REDIS_URL is unset, no Redis answers on the default address, and there is no redis-server on PATH to start one: install it (scripts/setup.sh, or apt-get install redis-server), or set REDIS_URL to your Redis',
    );
  await mkdir(dir, { recursive: true });
  const shared = await embeddedRedisRunning(dir);
  if (shared !== undefined)
    return { url: `redis://127.0.0.1:${shared}`, dir, owned: false, stop: async () => {} };

  for (let tries = 1; ; tries++) {
    const port = await freeLoopbackPort();
    // biome-ignore format: one option per line reads best
    const args = [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir,
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '',
      '--maxmemory-policy', 'noeviction', '--logfile', 'redis.log', '--daemonize', 'no',
    ];
    // This run's log only: a failure is explained by this server's lines, not an earlier run's.
    await writeFile(join(dir, 'redis.log'), '');
    const child = spawn('/bin/sh', ['-c', GUARD, 'sh', ...args], {
      env: { PATH: path },
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    // The guard shell and its pipe must not keep this process alive.
    child.unref();
    (child.stdin as Socket | null)?.unref();
    const up = await waitUntilUp(port, child, timeoutMs);
    let stopping: Promise<void> | undefined;
    const stop = () => (stopping ??= stopGuard(child, dir));
    if (up) {
      await writeFile(join(dir, OWNER_FILE), `${JSON.stringify({ pid: process.pid, port })}\n`);
      return { url: `redis://127.0.0.1:${port}`, dir, owned: true, stop };
    }
    await stop();
    const why = await logTail(dir);
    // Another program may take the port between our probe and the server's bind: try another.
    if (/Address already in use/.test(why) && tries < 3) continue;
    throw new EmbeddedRedisError(
      `the embedded redis-server (${program}) did not start within ${timeoutMs} ms (${why || 'no log'}): see ${join(dir, 'redis.log')}, or set REDIS_URL to your Redis`,
    );
  }
}

async function stopGuard(child: ChildProcess, dir: string): Promise<void> {
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => child.once('exit', () => r()));
  child.stdin?.end();
  const timer = setTimeout(() => {
    // The server did not stop in time (a huge final fsync?): end the whole group.
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  }, 15_000);
  await exited;
  clearTimeout(timer);
  await rm(join(dir, OWNER_FILE), { force: true });
}
