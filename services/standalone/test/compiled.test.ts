import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createRedisFixture, type RedisFixture, startFakeAnthropic } from '@hardfix/testkit';
import { afterAll, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const TOKEN = 'compiled-test-token';

const children: ChildProcess[] = [];
let redis: RedisFixture | undefined;
let delivery: string | undefined;
afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r(null)))),
  );
  await redis?.cleanup();
  if (delivery) await rm(delivery, { recursive: true, force: true });
});

/** `pnpm start:api` / `pnpm start:worker` as an operator runs them: the package script, word for word. */
function start(script: string, env: Record<string, string>, readyLine: string) {
  const [command, ...argv] = script.split(' ');
  // Plain node: Node 20 cannot load a .ts file, so a start that works ran the compiled JavaScript.
  expect(command).toBe('node');
  expect(argv.join(' ')).not.toMatch(/tsx|\.ts\b/);
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${script} did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(readyLine)) {
        clearTimeout(timer);
        ok(out);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${script} exited with ${code}:\n${out}`)));
  });
}

it('pnpm build compiles the services; the compiled API and worker, run by plain node, deliver a project', async () => {
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: ROOT });
  const { scripts } = JSON.parse(await readFile(resolve(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };

  redis = await createRedisFixture();
  const fake = await startFakeAnthropic({ apiKey: 'k' });
  delivery = await mkdtemp(join(tmpdir(), 'hardfix-compiled-'));
  const env = {
    REDIS_URL: redis.url,
    QUEUE_PREFIX: redis.prefix,
    ANTHROPIC_API_KEY: 'k',
    ANTHROPIC_BASE_URL: fake.url,
    DELIVERY_DIR: delivery,
    API_TOKEN: TOKEN,
    HOST: '127.0.0.1',
    PORT: '0',
  };
  const apiOut = await start(scripts['start:api'] ?? '', env, 'Server listening at');
  await start(scripts['start:worker'] ?? '', env, 'worker started');
  const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(apiOut)?.[1];
  expect(url).toBeDefined();
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const created = (await (
    await fetch(`${url}/projects`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'compiled', language: 'python', prompt: 'print a greeting' }),
    })
  ).json()) as { id: string };
  const deadline = Date.now() + 30_000;
  let status = '';
  while (Date.now() < deadline && status !== 'delivered') {
    const view = (await (await fetch(`${url}/projects/${created.id}`, { headers })).json()) as {
      status: string;
    };
    status = view.status;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe('delivered');
  await fake.close();
});

/** The text of one target stage of the Dockerfile. */
async function dockerStage(target: string): Promise<string> {
  const dockerfile = await readFile(resolve(ROOT, 'Dockerfile'), 'utf8');
  return dockerfile.split(/^FROM /m).find((s) => new RegExp(`^\\S+ AS ${target}\\n`).test(s)) ?? '';
}

it('each image is its service deployed alone, run with the same command as pnpm start:<service>', async () => {
  const { scripts } = JSON.parse(await readFile(resolve(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  for (const service of ['api', 'worker']) {
    const stage = await dockerStage(service);
    // The one thing copied in is `pnpm deploy --prod`'s directory for this service (its dist/ and its
    // production dependencies), not the workspace: /app is services/<service>, so the path loses that.
    // The worker also copies the Go cache warmer, which runs at build time and is removed.
    const tools = service === 'worker' ? ['COPY scripts/warm-go-cache.sh /tmp/warm-go-cache.sh'] : [];
    expect(stage.match(/^COPY .*$/gm)).toEqual([
      ...tools,
      `COPY --from=build --chown=node:node /out/${service} /app`,
    ]);
    expect(stage).toMatch(/^WORKDIR \/app$/m);
    const cmd = (JSON.parse(/^CMD (\[.*\])$/m.exec(stage)?.[1] ?? '[]') as string[]).join(' ');
    expect(cmd).toBe(scripts[`start:${service}`]?.replace(`services/${service}/`, ''));
  }
  const build = await dockerStage('build');
  expect(build).toMatch(/pnpm --filter "@hardfix\/\$service" deploy --prod /);
});

it('only the worker image carries the interpreters and bubblewrap: the API runs no generated code', async () => {
  const api = await dockerStage('api');
  expect(api).toMatch(/^node:\S+ AS api\n/);
  expect(api).not.toMatch(/apt-get|python|openjdk|bubblewrap/);
  expect(await dockerStage('worker')).toMatch(
    /python3 python3-pip openjdk-17-jdk-headless golang-go bubblewrap/,
  );
});
