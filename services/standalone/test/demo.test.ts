import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createLogger, createRedisClient } from '@hardfix/core';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** `pnpm demo` as a new user runs it: a real child process, to completion. */
function runDemo(onOutput?: (out: string, child: ReturnType<typeof spawn>) => void) {
  return new Promise<{ code: number | null; out: string }>((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--clean'], {
      cwd: ROOT,
      env: { ...process.env, ANTHROPIC_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      onOutput?.(out, child);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => ok({ code, out }));
  });
}

it('pnpm demo runs every scenario to completion, labelled as a simulation', async () => {
  const { code, out } = await runDemo();
  expect(out).toContain('[SIMULATION] Hard Fix demo');
  expect(out).toMatch(/1\. A project delivered at once[\s\S]*?→ OK: delivered/);
  expect(out).toMatch(/2\. [\s\S]*?smart-retry attempt 1: verified[\s\S]*?→ OK: delivered/);
  expect(out).toMatch(
    /3\. [\s\S]*?hard-fix attempt 2 \[conservative, fix from llm\]: verified[\s\S]*?→ OK: delivered/,
  );
  expect(out).toMatch(
    /4\. [\s\S]*?import attempt 1 \[fix from library\]: verified[\s\S]*?→ OK: delivered .*LLM calls: 0/,
  );
  expect(out).toMatch(
    /5\. Tests are the spec[\s\S]*?hard-fix attempt 1 \[conservative, fix from llm\]: failed: AssertionError: 0 != 12 — tests 1\/2 passed[\s\S]*?hard-fix attempt 2 \[conservative, fix from llm\]: verified ✓ — tests 2\/2 passed[\s\S]*?→ OK: delivered .*tests: test_cart\.py/,
  );
  expect(out).toMatch(/1\. A project delivered at once[\s\S]*?→ OK: delivered .*tests: none/);
  expect(out).toContain('[SIMULATION] Status (GET /status)');
  // Dependencies: a package from the local index is installed and imported; a missing module is fixed
  // by declaring it, and the next program with it is repaired from the library, the wheel served once.
  expect(out).toMatch(/6\. A program that needs a package[\s\S]*?tests 1\/1 passed[\s\S]*?→ OK: delivered/);
  expect(out).toMatch(
    /7\. [\s\S]*?No module named 'PIL'[\s\S]*?hard-fix attempt 1 \[conservative, fix from llm\]: verified[\s\S]*?→ OK: delivered/,
  );
  expect(out).toMatch(
    /8\. [\s\S]*?import attempt 1 \[fix from library\]: verified[\s\S]*?→ OK: delivered .*LLM calls: 0/,
  );
  expect(out).toContain('the index served the Pillow wheel 1 time(s) for three projects');
  expect(out).toContain('[SIMULATION] All 8 scenarios ended as expected.');
  expect(code).toBe(0);
}, 120_000);

it('Ctrl-C in the middle of a scenario stops the demo and deletes its Redis keys', async () => {
  let sent = false;
  const { code, out } = await runDemo((soFar, child) => {
    // Mid-way through scenario 2: a retry is delayed in BullMQ, so there are keys to clean up.
    if (!sent && soFar.includes('generation attempt 1: failed')) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  expect(sent).toBe(true);
  expect(out).toContain('[SIMULATION] interrupted: cleaning up');
  expect(out).toContain('[SIMULATION] Stopped before the end; its Redis keys are deleted.');
  expect(code).toBe(130);
  const prefix = /Redis \(prefix (demo-[0-9a-f]+)\)/.exec(out)?.[1];
  expect(prefix).toBeDefined();
  // The same server the demo used: it reads REDIS_URL, else the default local port.
  const redis = createRedisClient(
    process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    'worker', // queues commands until connected
    createLogger('silent'),
    'demo-test',
  );
  try {
    const left: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      left.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    expect(left).toEqual([]);
  } finally {
    await redis.quit();
  }
}, 60_000);
