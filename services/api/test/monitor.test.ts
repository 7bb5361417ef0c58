import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { describe, expect } from 'vitest';
import { runMonitor } from '../src/cli/monitor.js';
import { parseMonitorArgs } from '../src/cli/monitor-args.js';
import { type TestApi, TOKEN, test } from './helper.js';

/** A port that was just free: nothing listens there (fetch refuses well-known ports like 1). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function listen(api: TestApi): Promise<string> {
  return api.app.listen({ host: '127.0.0.1', port: 0 });
}

async function run(
  argv: string[],
  envUrl?: string,
  extra: { signal?: AbortSignal; intervalMs?: number } = {},
) {
  let out = '';
  let err = '';
  const code = await runMonitor({
    argv,
    envUrl,
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    ...extra,
  });
  return { code, out, err };
}

/** A system with figures that are easy to recognise in the output. */
async function seed(api: TestApi) {
  const ids: string[] = [];
  for (const [name, status, stage] of [
    ['a', 'hard-fix', 'hard-fix'],
    ['b', 'hard-fix', 'hard-fix'],
    ['c', 'manual-review', 'manual'],
    ['d', 'delivered', 'generation'],
  ] as const) {
    const created = await api.store.create({
      name,
      language: 'python',
      prompt: 'p',
      status: 'queued',
      stage: 'generation',
    });
    if (!created.created) throw new Error('taken');
    ids.push(created.project.id);
    await api.store.update(created.project.id, (p) => ({ ...p, status, stage }), {
      ...(status === 'manual-review' ? { 'hardfix:exhausted': 1 } : {}),
      ...(status === 'delivered'
        ? { 'hardfix:successes': 1, 'hardfix:attempts': 3, 'llm:calls': 1234, 'llm:inputTokens': 98765 }
        : {}),
    });
  }
  await api.queues.generation.add('generation', { projectId: 'x', n: 1 });
}

describe('pnpm monitor', () => {
  test('--status prints the figures once', async ({ api }) => {
    await seed(api);
    const url = await listen(api);
    const { code, out, err } = await run(['--status', '--url', url]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(url);
    expect(out).toMatch(/active fixes\s+2\n/);
    expect(out).toMatch(/library size\s+0\n/);
    expect(out).toMatch(/reuse rate\s+0\.0%\n/);
    expect(out).toMatch(/average attempts\s+3\.00\n/);
    expect(out).toMatch(/success rate\s+50\.0%\n/);
    expect(out).toMatch(/manual review\s+1\n/);
    expect(out).toMatch(/Projects \(4 total\)/);
    expect(out).toMatch(/delivered\s+1\n/);
    expect(out).toMatch(/calls\s+1,234\n/);
    expect(out).toMatch(/input tokens\s+98,765\n/);
    expect(out).toMatch(/generation\s+1\s+0\s+0\s+0\s+0\n/);
    expect(out).toMatch(/hard-fix\s+0\s+0\s+0\s+0\s+0\n/);
    // Printed once, not a live view.
    expect(out).not.toContain('\x1b[');
  });

  test('--json prints GET /status as it is', async ({ api }) => {
    await seed(api);
    const url = await listen(api);
    const { code, out } = await run(['--json'], url);
    expect(code).toBe(0);
    const status = (await api.app.inject({ method: 'GET', url: '/status' })).json();
    expect(JSON.parse(out)).toEqual(status);
    expect(JSON.parse(out).hardFix.activeFixes).toBe(2);
  });

  test('the live view redraws in place until stopped', async ({ api }) => {
    const url = await listen(api);
    const stop = new AbortController();
    let frames = 0;
    let out = '';
    const done = runMonitor({
      argv: ['--url', url],
      envUrl: undefined,
      out: (t) => {
        out += t;
        if (t.startsWith('\x1b[H') && ++frames === 3) stop.abort();
      },
      err: () => {},
      signal: stop.signal,
      intervalMs: 20,
    });
    expect(await done).toBe(0);
    expect(frames).toBe(3);
    expect(out.startsWith('\x1b[2J')).toBe(true);
    expect(out).toContain('Ctrl-C quits');
  });

  test('--events prints each project event as it happens; it needs the token', async ({ api }) => {
    const url = await listen(api);
    const stop = new AbortController();
    let out = '';
    const done = runMonitor({
      argv: ['--events', '--url', url],
      envUrl: undefined,
      envToken: TOKEN,
      out: (t) => {
        out += t;
      },
      err: () => {},
      signal: stop.signal,
    });
    await expect.poll(() => out, { timeout: 5_000 }).toContain(`following ${url}/events`);
    const created = await api.store.create({
      name: 'followed',
      language: 'python',
      prompt: 'p',
      status: 'queued',
      stage: 'generation',
    });
    if (!created.created) throw new Error('taken');
    const id = created.project.id;
    await api.store.update(id, (p) => ({ ...p, status: 'manual-review', stage: 'manual' }));
    await api.store.update(id, (p) => ({ ...p, status: 'abandoned', abandonReason: 'no' }));
    await expect.poll(() => out, { timeout: 5_000 }).toContain('project.abandoned');
    stop.abort();
    expect(await done).toBe(0);
    const lines = out.split('\n').filter((l) => l.includes(id));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^\\d\\d:\\d\\d:\\d\\d  project\\.manual_review +followed  manual-review  ${id}$`),
    );
    expect(lines[1]).toMatch(/ project\.abandoned +followed {2}abandoned /);

    const noToken = await run(['--events', '--url', url]);
    expect(noToken.code).toBe(2);
    expect(noToken.err).toContain('--events needs the API token');
    const wrong = await run(['--events', '--url', url, '--token', 'wrong-token-123']);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('answered 401');
  });

  test('a service that does not answer is a clear error and exit code 1', async () => {
    const url = await deadUrl();
    for (const mode of [['--status'], ['--json'], []]) {
      const { code, out, err } = await run([...mode, '--url', url]);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toBe(
        `monitor: the service at ${url} does not answer (connect ECONNREFUSED ${url.slice(7)})\n`,
      );
    }
  });

  test('a URL that answers something else than /status is an error too', async ({ api }) => {
    const url = await listen(api);
    const { code, err } = await run(['--status', '--url', `${url}/nope`]);
    expect(code).toBe(1);
    expect(err).toContain('answered 404');
  });

  test('arguments: --url beats HARDFIX_URL, which beats the default; bad ones are usage errors', async () => {
    expect(parseMonitorArgs([], undefined)).toEqual({ mode: 'live', url: 'http://127.0.0.1:3000' });
    expect(parseMonitorArgs(['--status'], 'http://h:9/')).toEqual({ mode: 'status', url: 'http://h:9' });
    expect(parseMonitorArgs(['--json', '--url=http://x:1'], 'http://h:9')).toEqual({
      mode: 'json',
      url: 'http://x:1',
    });
    const bad = await run(['--nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown argument --nope');
    expect(bad.err).toContain('usage: pnpm monitor');
    expect((await run(['--url'])).err).toContain('--url needs a value');
    expect((await run(['--url', 'localhost:3000'])).err).toContain('must be an http(s) URL');
  });
});
