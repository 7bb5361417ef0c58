import { readdir } from 'node:fs/promises';
import { createSandbox, type Sandbox, type SandboxOptions } from '../src/index.js';
import { SUPERVISOR_SHELL_FILE } from '../src/supervisor-shell.js';

export const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };

export function makeSandbox(options: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  return createSandbox({ logger: silentLogger, ...options });
}

/** Generous for a 2-core box running two test files at once; the JVM needs ~1-2 s. */
export const VERIFY_TIMEOUT_MS = 10_000;

export function file(path: string, ...lines: string[]) {
  return { path, content: `${lines.join('\n')}\n` };
}

/** What is left in a work root besides the supervisor's shell: workspaces that were not removed. */
export async function workspacesLeft(workRoot: string): Promise<string[]> {
  return (await readdir(workRoot)).filter((name) => name !== SUPERVISOR_SHELL_FILE);
}
