import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareSupervisorShell } from '../src/supervisor-shell.js';

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});
const workRoot = async () => {
  const root = await mkdtemp('/var/tmp/hardfix-test-shell-');
  roots.push(root);
  return root;
};

describe('the supervisor shell', () => {
  it('is an execute-only copy in the work root, and written again over an older one', async () => {
    const root = await workRoot();
    const first = await prepareSupervisorShell(root);
    const again = await prepareSupervisorShell(root);
    expect(again).toBe(first);
    expect((await stat(first)).mode & 0o777).toBe(0o111);
  });

  it('one that cannot run is refused at start, saying what SANDBOX_WORK_DIR needs', async () => {
    const root = await workRoot();
    const notAProgram = join(root, 'not-a-shell');
    await writeFile(notAProgram, 'no shebang, no ELF\n');
    await expect(prepareSupervisorShell(root, notAProgram)).rejects.toThrow(
      /cannot be run .*not mounted noexec/,
    );
  });
});
