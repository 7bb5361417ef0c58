import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

/** `pnpm demo` as a new user runs it: a real child process, to completion. */
function runDemo(): Promise<{ code: number | null; out: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--clean'], {
      cwd: ROOT,
      env: { ...process.env, ANTHROPIC_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
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
  expect(out).toContain('[SIMULATION] Status (GET /status)');
  expect(out).toContain('[SIMULATION] All 4 scenarios ended as expected.');
  expect(code).toBe(0);
}, 120_000);
