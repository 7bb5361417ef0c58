import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectFile } from '@hardfix/contracts';

/** Where a project's story ends: the benches wait for one of these. */
export const TERMINAL = ['delivered', 'manual-review', 'abandoned'];

/**
 * Every file below `dir`, as project files with paths relative to it, sorted. Walked by hand: Node 20's
 * recursive `readdir` with `withFileTypes` has dropped entries of nested folders (see scripts/build.ts).
 */
export async function readTree(dir: string, prefix = ''): Promise<ProjectFile[]> {
  const out: ProjectFile[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await readTree(full, path)));
    else if (entry.isFile()) out.push({ path, content: await readFile(full, 'utf8') });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Polls GET /projects/:id until the project reaches a terminal status; throws after `timeoutMs`. */
export async function waitForEnd(
  call: (method: string, path: string) => Promise<Record<string, unknown>>,
  id: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const project = await call('GET', `/projects/${id}`);
    if (TERMINAL.includes(String(project.status))) return project;
    if (Date.now() > deadline)
      throw new Error(`project ${id} still ${project.status} after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs a bench's main and exits with its code (a thrown error: its stack, exit 1). */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
