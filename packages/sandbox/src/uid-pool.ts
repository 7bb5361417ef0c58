import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Host-wide, so every worker process on this host (and every test process) sees the same leases. */
export const UID_LEASE_DIR = '/var/tmp/hardfix-uid-leases';

export interface UidLease {
  uid: number;
  /** True when no other run, in this process or another, holds the uid: all its processes are this run's. */
  exclusive: boolean;
  release(): Promise<void>;
}

/**
 * Hands out sandbox uids so concurrent runs do not share RLIMIT_NPROC (it is counted per uid): one
 * project's fork bomb must not starve another project's JVM of threads, and a run's leftover processes
 * can be found by uid. A lease is a file `<uid>` created with O_EXCL holding the owner's pid, so worker
 * processes on one host do not hand out the same uid; a lease whose process is dead is taken over.
 * When every uid is leased, runs share one round-robin (still safe, only less isolated: not exclusive).
 */
export class UidPool {
  private next = 0;

  constructor(
    private readonly uids: readonly number[],
    private readonly dir = UID_LEASE_DIR,
  ) {
    if (uids.length === 0) throw new Error('UidPool needs at least one uid');
  }

  async acquire(): Promise<UidLease> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const start = this.next++;
    for (let i = 0; i < this.uids.length; i++) {
      const uid = this.uids[(start + i) % this.uids.length] as number;
      if (await this.tryLease(uid)) {
        const path = this.path(uid);
        return { uid, exclusive: true, release: () => unlink(path).catch(() => {}) };
      }
    }
    const uid = this.uids[start % this.uids.length] as number;
    return { uid, exclusive: false, release: async () => {} };
  }

  private path(uid: number): string {
    return join(this.dir, String(uid));
  }

  private async tryLease(uid: number): Promise<boolean> {
    const path = this.path(uid);
    for (let round = 0; round < 2; round++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const content = await readFile(path, 'utf8').catch(() => '');
      // Empty: its owner has created it and not yet written its pid.
      if (content === '' || alive(Number(content))) return false;
      // Its process is gone (a crash): the lease is stale.
      await unlink(path).catch(() => {});
    }
    return false;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
