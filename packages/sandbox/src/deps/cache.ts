import { createHash, randomBytes } from 'node:crypto';
import {
  chmod,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedPackage } from '@hardfix/languages';

export interface CacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  /** hits / (hits + misses) since this process started; null before the first lookup. */
  hitRate: number | null;
}

export interface DependencyCacheOptions {
  root: string;
  maxBytes: number;
  /** An entry used this recently is never evicted: a sandbox may have it mounted. @defaultValue 10 min */
  inUseMs?: number;
  /** A lock older than this is a dead installer's, and is taken over. @defaultValue 10 min */
  staleLockMs?: number;
}

const USED = '.last-used';
const SIZE = '.size';
const INSTALLED = '.installed.json';

/**
 * Installed dependency sets, one directory per resolved set (`sets/<key>`, key = hash of every
 * package's name and version), shared by every project, attempt and worker on this disk. An entry is
 * built in `tmp/` and renamed into place, so a reader sees a complete set or none; a lock directory per
 * declared list (mkdir is atomic) makes a second worker wait for the first's install instead of
 * downloading the same set again, and if a lock holder dies its lock goes stale and the rename still
 * decides (the loser's copy is dropped). Past `maxBytes`, the least recently used sets go first.
 */
export class DependencyCache {
  private hits = 0;
  private misses = 0;
  private readonly inFlight = new Map<string, Promise<{ dir: string; installed: ResolvedPackage[] }>>();
  private readonly inUseMs: number;
  private readonly staleLockMs: number;

  constructor(private readonly opts: DependencyCacheOptions) {
    this.inUseMs = opts.inUseMs ?? 10 * 60_000;
    this.staleLockMs = opts.staleLockMs ?? 10 * 60_000;
  }

  private path(...parts: string[]): string {
    return join(this.opts.root, ...parts);
  }

  /**
   * The set a declared list resolves to, installing it with `build(dir)` (which returns what it
   * installed) when this list was not resolved within `ttlMs`. The list's resolution is remembered in
   * `declared/<listKey>`, so the same list is downloaded once; two lists that resolve to the same
   * packages share one entry.
   */
  ensure(
    listKey: string,
    ttlMs: number,
    build: (dir: string) => Promise<ResolvedPackage[]>,
  ): Promise<{ dir: string; installed: ResolvedPackage[] }> {
    const pending = this.inFlight.get(listKey);
    if (pending) {
      this.hits++;
      return pending;
    }
    const run = this.ensureOnce(listKey, ttlMs, build).finally(() => this.inFlight.delete(listKey));
    this.inFlight.set(listKey, run);
    return run;
  }

  private async lookup(
    listKey: string,
    ttlMs: number,
  ): Promise<{ dir: string; installed: ResolvedPackage[] } | undefined> {
    try {
      const memo = this.path('declared', listKey);
      const [key, age] = await Promise.all([
        readFile(memo, 'utf8'),
        stat(memo).then((s) => Date.now() - s.mtimeMs),
      ]);
      if (age > ttlMs) return undefined;
      const dir = this.path('sets', key.trim());
      if (!(await this.touch(dir))) return undefined;
      const installed = JSON.parse(await readFile(join(dir, INSTALLED), 'utf8')) as ResolvedPackage[];
      return { dir, installed };
    } catch {
      return undefined;
    }
  }

  private async ensureOnce(
    listKey: string,
    ttlMs: number,
    build: (dir: string) => Promise<ResolvedPackage[]>,
  ): Promise<{ dir: string; installed: ResolvedPackage[] }> {
    const found = await this.lookup(listKey, ttlMs);
    if (found) {
      this.hits++;
      return found;
    }
    for (const d of ['locks', 'tmp', 'sets', 'declared']) await mkdir(this.path(d), { recursive: true });
    // The sandbox's uid reads the sets (read-only): the root and sets must be traversable by it.
    await chmod(this.opts.root, 0o755);
    await chmod(this.path('sets'), 0o755);
    const lock = this.path('locks', listKey);
    for (;;) {
      try {
        await mkdir(lock);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      // Another worker installs this list: wait for its entry, or take over a lock its holder left.
      const theirs = await this.lookup(listKey, ttlMs);
      if (theirs) {
        this.hits++;
        return theirs;
      }
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > this.staleLockMs) await rmdir(lock).catch(() => {});
      else await new Promise((r) => setTimeout(r, 200));
    }
    let result: { dir: string; installed: ResolvedPackage[] };
    try {
      const again = await this.lookup(listKey, ttlMs);
      if (again) {
        this.hits++;
        return again;
      }
      this.misses++;
      const tmp = this.path('tmp', `${listKey}-${randomBytes(4).toString('hex')}`);
      try {
        await mkdir(tmp, { recursive: true });
        const installed = [...(await build(tmp))].sort(
          (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
        );
        // The resolved set names the entry: the same packages at the same versions are one entry.
        const key = createHash('sha256')
          .update(installed.map((p) => `${p.name}@${p.version}`).join('\n'))
          .digest('hex')
          .slice(0, 32);
        await writeFile(join(tmp, SIZE), String(await directoryBytes(tmp)));
        await writeFile(join(tmp, USED), '');
        await writeFile(join(tmp, INSTALLED), JSON.stringify(installed));
        await chmod(tmp, 0o755);
        const dir = this.path('sets', key);
        await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
          // The same set is there already (another list resolved to it): keep that one.
          if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
        });
        await this.touch(dir);
        const memo = this.path('tmp', `memo-${randomBytes(4).toString('hex')}`);
        await writeFile(memo, key);
        await rename(memo, this.path('declared', listKey));
        result = { dir, installed };
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    } finally {
      await rmdir(lock).catch(() => {});
    }
    await this.evict(result.dir.split('/').pop());
    return result;
  }

  private async touch(entry: string): Promise<boolean> {
    const now = new Date();
    try {
      await utimes(join(entry, USED), now, now);
      return true;
    } catch {
      return false;
    }
  }

  private async list(): Promise<{ key: string; bytes: number; usedAt: number }[]> {
    const keys = await readdir(this.path('sets')).catch(() => [] as string[]);
    const entries = await Promise.all(
      keys.map(async (key) => {
        const dir = this.path('sets', key);
        const [bytes, usedAt] = await Promise.all([
          readFile(join(dir, SIZE), 'utf8').then(Number, () => 0),
          stat(join(dir, USED)).then(
            (s) => s.mtimeMs,
            () => 0,
          ),
        ]);
        return { key, bytes, usedAt };
      }),
    );
    return entries;
  }

  /** Drops least recently used sets until the cache fits, sparing `keep` and sets in use. */
  async evict(keep?: string): Promise<void> {
    const entries = (await this.list()).sort((a, b) => a.usedAt - b.usedAt);
    let total = entries.reduce((sum, e) => sum + e.bytes, 0);
    for (const e of entries) {
      if (total <= this.opts.maxBytes) break;
      if (e.key === keep || Date.now() - e.usedAt < this.inUseMs) continue;
      // Renamed away first, so no reader finds a half-deleted set.
      const doomed = this.path('tmp', `evicted-${e.key}-${randomBytes(4).toString('hex')}`);
      const moved = await rename(this.path('sets', e.key), doomed).then(
        () => true,
        () => false,
      );
      if (moved) {
        await rm(doomed, { recursive: true, force: true });
        total -= e.bytes;
      }
    }
  }

  async stats(): Promise<CacheStats> {
    const entries = await this.list();
    const looked = this.hits + this.misses;
    return {
      entries: entries.length,
      bytes: entries.reduce((sum, e) => sum + e.bytes, 0),
      maxBytes: this.opts.maxBytes,
      hits: this.hits,
      misses: this.misses,
      hitRate: looked === 0 ? null : this.hits / looked,
    };
  }
}

export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) {
    const full = join(dir, name);
    const s = await stat(full).catch(() => undefined);
    if (!s) continue;
    total += s.isDirectory() ? await directoryBytes(full) : s.size;
  }
  return total;
}
