import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DependencyCache } from '../src/index.js';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const build = (name: string, bytes: number) => async (dir: string) => {
  await writeFile(join(dir, 'payload'), Buffer.alloc(bytes));
  return [{ name, version: '1.0.0' }];
};

describe('the dependency cache', () => {
  it('keeps the most recently used sets within its size; a set used a moment ago is spared', async () => {
    root = await mkdtemp(join(tmpdir(), 'hardfix-cache-'));
    const cache = new DependencyCache({ root, maxBytes: 2_500, inUseMs: 0 });
    const a = await cache.ensure('list-a', 60_000, build('a', 1_000));
    const b = await cache.ensure('list-b', 60_000, build('b', 1_000));
    // a is older than b: age it, then use b again.
    const past = new Date(Date.now() - 60_000);
    await utimes(join(a.dir, '.last-used'), past, past);
    await cache.ensure('list-b', 60_000, build('b', 1_000));
    const c = await cache.ensure('list-c', 60_000, build('c', 1_000));
    const left = await readdir(join(root, 'sets'));
    expect(left.sort()).toEqual([b.dir, c.dir].map((d) => d.split('/').pop()).sort());
    expect(await cache.stats()).toMatchObject({ entries: 2, hits: 1, misses: 3 });
    // The evicted list installs again when asked.
    const again = await cache.ensure('list-a', 60_000, build('a', 1_000));
    expect(again.installed).toEqual([{ name: 'a', version: '1.0.0' }]);
  });

  it('two lists that resolve to the same packages share one entry; a failed build leaves nothing', async () => {
    root = await mkdtemp(join(tmpdir(), 'hardfix-cache-'));
    const cache = new DependencyCache({ root, maxBytes: 1_000_000 });
    const x = await cache.ensure('Pillow', 60_000, build('Pillow', 10));
    const y = await cache.ensure('Pillow==1.0.0', 60_000, build('Pillow', 10));
    expect(y.dir).toBe(x.dir);
    await expect(
      cache.ensure('broken', 60_000, async () => {
        throw new Error('pip failed');
      }),
    ).rejects.toThrow('pip failed');
    expect(await readdir(join(root, 'sets'))).toHaveLength(1);
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    expect(await readdir(join(root, 'locks'))).toEqual([]);
  });
});
