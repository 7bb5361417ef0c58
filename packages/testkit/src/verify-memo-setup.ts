import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERIFY_MEMO_ENV } from './verify-memo.js';

/**
 * Global setup of `pnpm test` (vitest.config.ts): one directory for the run's verification memo, named
 * in the environment the test files' processes (and the workers they spawn) inherit, removed at the end.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  // Every project of the run runs its global setups in this one process: the first makes the directory.
  if (process.env[VERIFY_MEMO_ENV]) return undefined;
  const dir = await mkdtemp(join(tmpdir(), 'hardfix-verify-memo-'));
  process.env[VERIFY_MEMO_ENV] = dir;
  return () => rm(dir, { recursive: true, force: true });
}
