import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { freePort } from '../test/worker-process.js';

/**
 * A Redis of the test's own with an append-only file (in its own dir under /var/tmp, not TMPDIR), so
 * the test can restart it and drop every connection without disturbing anyone else.
 */
export class PrivateRedis {
  private process: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), await mkdtemp('/var/tmp/hardfix-faults-redis-'));
    await redis.launch();
    return redis;
  }

  private async launch(): Promise<void> {
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200; i++) {
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on('error', () => {});
      try {
        await probe.connect();
        // Loading the append-only file answers LOADING until done.
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        // not up yet
      } finally {
        probe.disconnect();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('private redis-server did not start');
  }

  private stopped(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((ok) => child.once('exit', () => ok()));
  }

  /** SIGTERM (the append-only file is flushed, as a managed restart does), then up again on the same port. */
  async restart(): Promise<void> {
    const down = this.stopped();
    this.process?.kill('SIGTERM');
    await down;
    await this.launch();
  }

  /** Every client connection, the workers' included, cut at once. */
  async dropClients(): Promise<number> {
    const admin = new Redis(this.url, { maxRetriesPerRequest: 0 });
    try {
      return Number(await admin.client('KILL', 'TYPE', 'normal', 'SKIPME', 'yes'));
    } finally {
      admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    const down = this.stopped();
    this.process?.kill('SIGKILL');
    await down;
    await rm(this.dir, { recursive: true, force: true });
  }
}
