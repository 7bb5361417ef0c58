import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useRedis } from '@hardfix/testkit';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  deliverProject,
  deliverVerified,
  filesHash,
  MANIFEST_FILE,
  type Manifest,
  UnverifiedFilesError,
} from '../src/delivery.js';
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
          store.update(await store.mustGet(id), (p) => ({ ...p, status: 'delivered' })),
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

  it('a runner that loses its lease after writing the files never records the delivery', async () => {
    const { client, store, id, lock } = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'hardfix-fencing-'));
    dirs.push(dir);
    const project = await store.mustGet(id);
    await store.setFiles(id, { files: GOOD, lastVerification: passed });
    // The lease moves the moment the files are on disk: the SET goes out on the store's own connection,
    // so Redis has it before the store's next command (the record of the delivery).
    const losesLease = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          if (line.includes('"msg":"delivered"')) void client.set(lock, 'token-b');
        },
      },
    );
    const hash = filesHash(GOOD, undefined);
    await expect(
      withFence({ key: lock, token: 'token-a' }, () =>
        deliverVerified(store, dir, project, losesLease, hash),
      ),
    ).rejects.toBeInstanceOf(LeaseLostError);
    // On disk: exactly the files that verified, with their hash; in the store: no delivery.
    expect(await readFile(join(dir, 'fenced', 'main.py'), 'utf8')).toBe('print(1)\n');
    const manifest = JSON.parse(await readFile(join(dir, 'fenced', MANIFEST_FILE), 'utf8')) as Manifest;
    expect(manifest.filesSha256).toBe(hash);
    const after = await store.mustGet(id);
    expect([after.status, after.delivery, after.version]).toEqual(['hard-fix', undefined, 0]);

    // The new owner delivers the same files: nothing rewritten, the delivery recorded once.
    const delivered = await withFence({ key: lock, token: 'token-b' }, () =>
      deliverVerified(store, dir, project, logger, hash),
    );
    expect(delivered.status).toBe('delivered');
    expect(JSON.parse(await readFile(join(dir, 'fenced', MANIFEST_FILE), 'utf8'))).toEqual(manifest);
    expect((await store.countByStatus()).delivered).toBe(1);
  });

  it('the lease holder replaces a folder of its project holding other files; a stopped runner changes nothing', async () => {
    const { store, id, lock } = await setup();
    const dir = await mkdtemp(join(tmpdir(), 'hardfix-fencing-'));
    dirs.push(dir);
    const project = await store.mustGet(id);
    const OTHER = [{ path: 'main.py', content: 'print(2)\n' }];
    const manifestOf = (files: typeof GOOD): Manifest => ({
      projectId: id,
      name: 'fenced',
      language: 'python',
      deliveredAt: new Date().toISOString(),
      filesSha256: filesHash(files, undefined),
      attempts: [],
      verification: { ok: true, durationMs: 1, steps: [] },
    });
    expect((await deliverProject(dir, OTHER, manifestOf(OTHER))).written).toBe(true);

    // A runner told to stop just before the rename (the lease check deliverVerified passes) leaves the
    // folder as it was and no temporary folder behind.
    const stop = new LeaseLostError({ key: lock, token: 'token-a' });
    await expect(
      deliverProject(dir, GOOD, manifestOf(GOOD), async () => {
        throw stop;
      }),
    ).rejects.toBe(stop);
    expect(await readdir(dir)).toEqual(['fenced']);
    expect(await readFile(join(dir, 'fenced', 'main.py'), 'utf8')).toBe('print(2)\n');

    // The lease holder delivers the files that verified; the other ones are moved aside, not lost.
    await store.setFiles(id, { files: GOOD, lastVerification: passed });
    await withFence({ key: lock, token: 'token-a' }, () =>
      deliverVerified(store, dir, project, logger, filesHash(GOOD, undefined)),
    );
    expect(await readFile(join(dir, 'fenced', 'main.py'), 'utf8')).toBe('print(1)\n');
    expect(await readdir(join(dir, '.superseded'))).toHaveLength(1);
  });
});
