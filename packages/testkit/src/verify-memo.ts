import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the run's verification memo lives; set by verify-memo-setup.ts, inherited by spawned workers. */
export const VERIFY_MEMO_ENV = 'HARDFIX_VERIFY_MEMO_DIR';

/** A key → JSON value store in a directory, one file per key, safe for many processes at once. */
export interface DirMemo<T> {
  dir: string;
  get(key: string): Promise<T | undefined>;
  put(key: string, value: T): Promise<void>;
}

export function dirMemo<T>(dir: string): DirMemo<T> {
  const file = (key: string) => join(dir, `${key}.json`);
  return {
    dir,
    get: async (key) => {
      try {
        return JSON.parse(await readFile(file(key), 'utf8')) as T;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
    put: async (key, value) => {
      // Written aside and renamed: a reader in another process sees the whole file or none.
      const aside = `${file(key)}.${process.pid}.${randomBytes(4).toString('hex')}`;
      await writeFile(aside, JSON.stringify(value));
      await rename(aside, file(key));
    },
  };
}

/**
 * The test run's memo of sandbox verifications (the sandbox's `memo` option), or undefined outside a
 * `pnpm test` run. The sandbox decides what may be remembered (see its memo.ts); each distinct program
 * is still run for real once per run.
 */
export function runVerifyMemo<T>(): DirMemo<T> | undefined {
  const dir = process.env[VERIFY_MEMO_ENV];
  return dir ? dirMemo<T>(dir) : undefined;
}
