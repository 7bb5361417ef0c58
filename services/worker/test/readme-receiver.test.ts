import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ProjectEventView } from '@hardfix/contracts';
import { freePort } from '@hardfix/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';
import { until } from './worker-process.js';

const SECRET = 'readme-receiver-secret-0123456789';
const README = resolve(import.meta.dirname, '../../../README.md');

/** The receiver the README shows, exactly as written there. */
async function readmeReceiver(): Promise<string> {
  const text = await readFile(README, 'utf8');
  const match = /<!-- webhook-receiver[^\n]*-->\n```js\n([\s\S]*?)```/.exec(text);
  if (!match?.[1]) throw new Error('README.md has no webhook-receiver block');
  return match[1];
}

describe("the README's webhook receiver", () => {
  let h: Harness | undefined;
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('accepts the service’s signed webhooks and refuses a forged one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hardfix-readme-receiver-'));
    const file = join(dir, 'receiver.mjs');
    await writeFile(file, await readmeReceiver());
    const port = await freePort();
    const receiver = spawn(process.execPath, [file], {
      env: { PATH: process.env.PATH ?? '/usr/bin', WEBHOOK_SECRET: SECRET, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = receiver;
    let out = '';
    receiver.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    receiver.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const url = `http://127.0.0.1:${port}/hardfix`;
    await until(
      'the receiver to listen',
      async () => (await fetch(url, { method: 'POST' }).catch(() => undefined))?.status,
    );

    const forged = await fetch(url, {
      method: 'POST',
      headers: { 'x-hardfix-signature': `sha256=${'0'.repeat(64)}` },
      body: '{"id":"evt-forged","type":"project.delivered"}',
    });
    expect(forged.status).toBe(401);

    h = await startHarness({ WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    h.fake.enqueue('write_files', { tool: { files: [{ path: 'main.py', content: 'print("hi")\n' }] } });
    const res = await h.post('/projects', {
      name: 'readme-hook',
      language: 'python',
      prompt: 'say hi',
      callbackUrl: url,
    });
    expect(res.status).toBe(202);
    const harness = h;
    const [event] = await until('the webhook delivered', async () => {
      const view = await harness.get(`/projects/${res.body.id}`);
      const events = view.body.events as ProjectEventView[];
      return events[0]?.delivery?.state === 'delivered' ? events : undefined;
    });
    expect(event?.type).toBe('project.delivered');
    expect(out).toContain('project.delivered readme-hook delivered');
    expect(out).not.toContain('evt-forged');
  });
});
