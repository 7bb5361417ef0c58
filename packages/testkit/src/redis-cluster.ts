import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis } from 'ioredis';

const run = promisify(execFile);

export interface RedisClusterHandle {
  /** `redis+cluster://127.0.0.1:<port>,...`, the form REDIS_URL takes for a cluster. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

export interface ConnectOptions {
  lazyConnect?: boolean;
  /** Tests fail fast (1) unless the client is a BullMQ worker's, which needs null (retry forever). */
  maxRetriesPerRequest?: number | null;
}

/** True when a fixture URL names a Redis Cluster (see @hardfix/core redis-url.ts). */
export const isClusterUrl = (url: string) => /^rediss?\+cluster:/.test(url);

/** A Cluster client for a `redis+cluster://host:port,...` URL (tests use no credentials). */
export function connectCluster(url: string, options: ConnectOptions = {}): Cluster {
  const nodes = url
    .replace(/^rediss?\+cluster:\/\//, '')
    .split(',')
    .map((node) => {
      const at = node.lastIndexOf(':');
      return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
    });
  const { maxRetriesPerRequest = 1, ...clusterOptions } = options;
  return new Cluster(nodes, {
    ...clusterOptions,
    redisOptions: { maxRetriesPerRequest, connectTimeout: 5_000 },
  });
}

/** A free loopback port whose cluster bus port (port + 10000) is free too. */
async function freePort(taken: Set<number>): Promise<number> {
  const listen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (taken.has(port)) continue;
    if ((await listen(port)) && (await listen(port + 10_000))) return port;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ask(port: number, ...command: [string, ...string[]]): Promise<unknown> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call(...command);
  } finally {
    client.disconnect();
  }
}

/**
 * Starts a Redis Cluster of `masters` nodes (no replicas) on loopback ports, from the redis-server and
 * redis-cli on PATH: each node in a directory of its own under /var/tmp (never TMPDIR, which CI makes
 * private), nothing persisted. Resolves once every node reports `cluster_state:ok`.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const root = await mkdtemp('/var/tmp/hardfix-cluster-');
  const ports: number[] = [];
  const nodes: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      nodes.map(
        (node) =>
          new Promise<void>((resolve) => {
            if (node.exitCode !== null || node.signalCode !== null) return resolve();
            node.once('exit', () => resolve());
            node.kill('SIGTERM');
          }),
      ),
    );
    await rm(root, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort(new Set(ports));
      ports.push(port);
      const dir = join(root, String(port));
      await run('mkdir', ['-p', dir]);
      // Own processes rather than --daemonize, so the test knows their pids and stop() ends exactly them.
      const node = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, 'nodes.conf'),
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
          '--loglevel',
          'warning',
        ],
        { stdio: 'ignore' },
      );
      nodes.push(node);
      await until(`node ${port} to answer`, async () => (await ask(port, 'PING')) === 'PONG');
    }
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) {
      await until(`cluster_state:ok on ${port}`, async () =>
        String(await ask(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
      );
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, ports, stop };
}
