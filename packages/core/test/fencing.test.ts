import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRedis } from '@hardfix/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverVerified, filesHash, UnverifiedFilesError } from '../src/delivery.js';
import { LeaseLostError, withFence } from '../src/fence.js';
import { keys } from '../src/keys.js';
import { createLogger } from '../src/logger.js';
import { ProjectStore } from '../src/project-store.js';

const redis = useRedis();
const logger = createLogger('silent', 'test');
const GOOD = [{ path: 'main.py', content: 'print(1)\n' }];
const passed = { ok: true, durationMs: 5, steps: [] };

async function setup() {
  const { redis: client, prefix } = redis.current;
  const store = new ProjectStore(client, prefix);
  const created = await store.create({
    name: 'fenced',
    language: 'python',
    status: 'hard-fix',
    stage: 'hard-fix',
  });
  if (!created.created) throw new Error('name taken');
  const lock = `${prefix}:hard-fix:job-1:lock`;
  await client.set(lock, 'token-a');
  return { client, prefix, store, id: created.project.id, lock };
}

describe('fenced writes', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('go through while the lock holds the runner token', async () => {
    const { store, id, lock } = await setup();
    await withFence({ key: lock, token: 'token-a' }, async () => {
      await store.setFiles(id, { files: GOOD });
      await store.setAttemptFiles(id, 'hard-fix', 1, { files: GOOD });
      await store.update(id, (p) => ({ ...p, hardFixBase: 0 }));
    });
    expect((await store.getFiles(id)).files).toEqual(GOOD);
    expect((await store.getAttemptFiles(id, 'hard-fix', 1))?.files).toEqual(GOOD);
    expect((await store.mustGet(id)).version).toBe(1);
  });

  it('are refused, writing nothing, once another runner holds the lock or it is gone', async () => {
    const { client, store, id, lock, prefix } = await setup();
    const before = await client.get(keys(prefix).projectFiles(id));
    for (const holder of ['token-b', undefined]) {
      if (holder) await client.set(lock, holder);
      else await client.del(lock);
      await withFence({ key: lock, token: 'token-a' }, async () => {
        await expect(store.setFiles(id, { files: GOOD })).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.setAttemptFiles(id, 'hard-fix', 1, { files: GOOD })).rejects.toBeInstanceOf(
          LeaseLostError,
        );
        await expect(
          store.setHardFixOrigin(id, { base: 0, files: GOOD, failure: { type: 'E', message: 'm' } }),
        ).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.update(id, (p) => ({ ...p, status: 'delivered' }))).rejects.toBeInstanceOf(
          LeaseLostError,
        );
        // Starting from a record in hand (no read) changes nothing about the fence.
        await expect(
          store.update(id, (p) => ({ ...p, status: 'delivered' }), {}, await store.mustGet(id)),
        ).rejects.toBeInstanceOf(LeaseLostError);
      });
    }
    expect(await client.get(keys(prefix).projectFiles(id))).toBe(before);
    expect(await store.getAttemptFiles(id, 'hard-fix', 1)).toBeUndefined();
    expect(await store.getHardFixOrigin(id)).toBeUndefined();
    const after = await store.mustGet(id);
    expect([after.version, after.status]).toEqual([0, 'hard-fix']);
    expect((await store.countByStatus()).delivered).toBe(0);
    expect(await client.xlen(keys(prefix).events)).toBe(0);
  });

  it('delivery writes only the files that verified, and nothing once the lease is lost', async () => {
    const { client, store, id, lock } = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'hardfix-fencing-'));
    dirs.push(dir);
    const project = await store.mustGet(id);

    // Files whose last verification failed are never delivered.
    await store.setFiles(id, { files: GOOD, lastVerification: { ...passed, ok: false } });
    await expect(deliverVerified(store, dir, project, logger)).rejects.toBeInstanceOf(UnverifiedFilesError);
    // Files other than the ones this runner verified are not delivered either.
    await store.setFiles(id, { files: GOOD, lastVerification: passed });
    const other = filesHash([{ path: 'main.py', content: 'print(2)\n' }], undefined);
    await expect(deliverVerified(store, dir, project, logger, other)).rejects.toBeInstanceOf(
      UnverifiedFilesError,
    );
    // A runner that lost its lease writes nothing to disk.
    await client.set(lock, 'token-b');
    await expect(
      withFence({ key: lock, token: 'token-a' }, () =>
        deliverVerified(store, dir, project, logger, filesHash(GOOD, undefined)),
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(await readdir(dir)).toEqual([]);

    const delivered = await withFence({ key: lock, token: 'token-b' }, () =>
      deliverVerified(store, dir, project, logger, filesHash(GOOD, undefined)),
    );
    expect(delivered.status).toBe('delivered');
    expect(await readdir(dir)).toEqual(['fenced']);
  });
});
