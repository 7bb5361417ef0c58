import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, resolveRedisUrl, startFakeAnthropic } from '@hardfix/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { pingRedis } from '../src/ping-redis.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const TOKEN = 'front-door-test-token';
const HEADERS = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** `pnpm start`'s command, word for word from package.json, run by this node (pnpm adds nothing). */
async function startCommand(): Promise<string[]> {
  const { scripts } = JSON.parse(await readFile(resolve(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [tool, entry] = (scripts.start ?? '').split(' ');
  expect(tool).toBe('tsx');
  return ['--import', 'tsx', entry ?? ''];
}

interface Running {
  child: ChildProcess;
  /** Everything written so far, stdout and stderr interleaved as they came. */
  output(): string;
  /** Resolves with the output once it contains `text`; rejects on exit or after `ms`. */
  waitFor(text: string | RegExp, ms?: number): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** The exit code, once the process ends by itself. */
  exited: Promise<number | null>;
}

function run(argv: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    // Nothing of this test's own environment (a REDIS_URL above all): only what a new user has.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  return {
    child,
    exited,
    output: () => out,
    waitFor: (text, ms = 60_000) =>
      new Promise((ok, fail) => {
        const found = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
        const check = () => {
          if (!found()) return;
          waiters.delete(check);
          clearTimeout(timer);
          ok(out);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`no ${String(text)} within ${ms} ms; output:\n${out}`));
        }, ms);
        waiters.add(check);
        void exited.then((code) => {
          if (found()) return;
          clearTimeout(timer);
          fail(new Error(`exited with ${code} before ${String(text)}; output:\n${out}`));
        });
        check();
      }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Each log line as the object it is; a line that is not one (a stack trace, a console.error) fails. */
function logLines(output: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a structured log line: ${line}\n--- whole output:\n${output}`);
      }
    });
}

async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `hardfix-front-door-${name}-`));
  dirs.push(dir);
  return dir;
}

it('pnpm start with no Redis anywhere and REDIS_URL unset runs its own, delivers a project, and stops it', async () => {
  const state = await tempDir('state');
  const delivery = await tempDir('delivery');
  const fake = await startFakeAnthropic({ apiKey: 'k' });
  try {
    const service = run(await startCommand(), {
      // The default address, pointed somewhere closed: this machine's own Redis must not be found.
      HARDFIX_LOCAL_REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      HARDFIX_STATE_DIR: state,
      ANTHROPIC_API_KEY: 'k',
      ANTHROPIC_BASE_URL: fake.url,
      DELIVERY_DIR: delivery,
      API_TOKEN: TOKEN,
      HOST: '127.0.0.1',
      PORT: '0',
    });
    await service.waitFor('hard fix is running', 90_000);
    const lines = logLines(service.output());
    const embedded = lines.find((l) => String(l.msg).includes('started an embedded Redis'));
    expect(embedded?.msg).toMatch(
      new RegExp(
        `^REDIS_URL is unset and nothing answers on redis://127\\.0\\.0\\.1:\\d+: started an embedded Redis at redis://127\\.0\\.0\\.1:\\d+ \\(append-only file in ${state}/redis\\), stopped with this process; to use your own Redis, set REDIS_URL$`,
      ),
    );
    const redisPort = Number(/:(\d+)$/.exec(String(embedded?.redis))?.[1]);
    expect(await pingRedis('127.0.0.1', redisPort)).toBe('+PONG');
    const url = String(lines.find((l) => l.msg === 'hard fix is running')?.url);

    const created = (await (
      await fetch(`${url}/projects`, {
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify({ name: 'front-door', language: 'python', prompt: 'print a greeting' }),
      })
    ).json()) as { id: string };
    let status = '';
    for (const deadline = Date.now() + 60_000; Date.now() < deadline && status !== 'delivered'; ) {
      status = (
        (await (await fetch(`${url}/projects/${created.id}`, { headers: HEADERS })).json()) as {
          status: string;
        }
      ).status;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe('delivered');
    expect(await readdir(delivery)).toContain('front-door');
    // The data is where the line said, with the append-only file on.
    expect(await readdir(join(state, 'redis'))).toContain('appendonlydir');

    expect(await service.stop()).toBe(0);
    await expect(pingRedis('127.0.0.1', redisPort)).rejects.toThrow(/ECONNREFUSED/);
    logLines(service.output());
  } finally {
    await fake.close();
  }
}, 180_000);

describe('with REDIS_URL set to a closed port: one readable line per period naming the URL, no stack trace', () => {
  const entries = [
    ['pnpm start (API and worker in one process)', 'services/standalone/src/main.ts'],
    ['the worker alone', 'services/worker/src/main.ts'],
    ['the API alone', 'services/api/src/main.ts'],
  ] as const;
  it.concurrent.each(entries)(
    '%s',
    async (_, entry) => {
      const state = await tempDir('state');
      const port = await freePort();
      const periodMs = 1_000;
      const service = run(['--import', 'tsx', entry], {
        REDIS_URL: `redis://hardfix:s3cret-pw@127.0.0.1:${port}`,
        REDIS_DOWN_LOG_MS: String(periodMs),
        HARDFIX_STATE_DIR: state,
        API_TOKEN: TOKEN,
        HOST: '127.0.0.1',
        PORT: '0',
      });
      const said = `Redis is not reachable at redis://hardfix:***@127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}): check that a Redis server runs there and that REDIS_URL names it`;
      await service.waitFor(said);
      const firstAt = Date.now();
      if (!entry.includes('worker')) {
        const listening = await service.waitFor(/Server listening at http:\/\/127\.0\.0\.1:\d+/);
        const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(listening)?.[1];
        const ready = await fetch(`${url}/ready`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toEqual({
          error: 'redis_unavailable',
          message: expect.stringContaining(said),
        });
      }
      // The line comes again once per period, not once per retry: wait for the third, then count.
      const downLines = () =>
        logLines(service.output()).filter((l) => String(l.msg).startsWith('Redis is not reachable at'))
          .length;
      while (downLines() < 3) await new Promise((r) => setTimeout(r, 50));
      expect(await service.stop()).toBe(0);
      const watchedMs = Date.now() - firstAt;
      const output = service.output();
      expect(output).not.toContain('s3cret-pw');
      expect(output).not.toMatch(/^\s+at /m);
      const down = logLines(output).filter((l) => String(l.msg).startsWith('Redis is not reachable at'));
      expect(down.length).toBeGreaterThanOrEqual(2);
      expect(down.length).toBeLessThanOrEqual(Math.ceil(watchedMs / periodMs) + 1);
      for (const line of down) {
        expect(line.msg).toContain(said);
        expect(line).toMatchObject({ redis: `redis://hardfix:***@127.0.0.1:${port}`, level: 40 });
      }
      // A configured Redis is waited for, never replaced by one of our own.
      expect(await readdir(state)).toEqual([]);
    },
    90_000,
  );
});

describe('a refusal to start is one line naming the fix, never a stack trace', () => {
  it('a bad environment: every bad variable, what it must be, exit 2', async () => {
    const service = run(await startCommand(), { PORT: 'abc', API_TOKEN: 'short' });
    expect(await service.exited).toBe(2);
    expect(service.output()).toMatch(
      /^hardfix: refusing to start: invalid environment: PORT: .*\(got "abc"\); API_TOKEN: must be at least 8 characters \(got "short"\)\n$/,
    );
  });

  it('the port is taken: which address, and what to do', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as AddressInfo).port;
    try {
      const service = run(['--import', 'tsx', 'services/api/src/main.ts'], {
        REDIS_URL: await resolveRedisUrl(),
        HOST: '127.0.0.1',
        PORT: String(port),
        API_TOKEN: TOKEN,
        LOG_LEVEL: 'silent',
      });
      expect(await service.exited).toBe(1);
      expect(service.output()).toBe(
        `hardfix: refusing to start: 127.0.0.1:${port} is already in use: stop the program listening there, or set PORT to another port (PORT=0 picks a free one)\n`,
      );
    } finally {
      taken.close();
    }
  });
});
