/**
 * Hands out sandbox uids so concurrent runs do not share RLIMIT_NPROC (it is counted per uid):
 * one project's fork bomb must not starve another project's JVM of threads. When every uid is
 * in use they are shared round-robin, which is still safe, only less isolated.
 */
export class UidPool {
  private readonly inUse = new Map<number, number>();
  private next = 0;

  constructor(private readonly uids: readonly number[]) {
    if (uids.length === 0) throw new Error('UidPool needs at least one uid');
  }

  acquire(): number {
    const free = this.uids.find((uid) => !this.inUse.has(uid));
    const uid = free ?? (this.uids[this.next++ % this.uids.length] as number);
    this.inUse.set(uid, (this.inUse.get(uid) ?? 0) + 1);
    return uid;
  }

  release(uid: number): void {
    const count = this.inUse.get(uid) ?? 0;
    if (count <= 1) this.inUse.delete(uid);
    else this.inUse.set(uid, count - 1);
  }
}
