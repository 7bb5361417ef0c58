import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
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

/** This checkout (the service's own files); the sandbox sees only the toolchain packages bound from it. */
export const SERVICE_ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

/**
 * Python that prints, for the service's checkout, what a program can see of it: `service <json>` with
 * the checkout's own files that exist and the packages bound from its node_modules (typescript's
 * compiler and Node's type declarations, an adapter's toolchain.hostPaths).
 */
export const SEE_SERVICE = [
  'import json, os',
  `root = ${JSON.stringify(SERVICE_ROOT)}`,
  'own = [p for p in ["package.json", ".git", "packages", "services", ".env"] if os.path.exists(os.path.join(root, p))]',
  'top = sorted(os.listdir(root)) if os.path.isdir(root) else []',
  'pnpm = os.path.join(root, "node_modules", ".pnpm")',
  'bound = sorted(os.listdir(pnpm)) if os.path.isdir(pnpm) else []',
  'print("service", json.dumps({"own": own, "top": top, "bound": bound}))',
];

/** What SEE_SERVICE printed, parsed. */
export function seenOfService(stdout: string): { own: string[]; top: string[]; bound: string[] } {
  return JSON.parse(/^service (.*)$/m.exec(stdout)?.[1] ?? '{}');
}
