import { connectRedis, useRedis } from '@hardfix/testkit';
import { Cluster } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { FixLibrary } from '../src/fix-library/index.js';
import { createLogger } from '../src/logger.js';
import { createRedisClient } from '../src/redis.js';
import { errorSignature } from '../src/signature.js';

// Runs in the `cluster` test project only (vitest.config.ts): REDIS_URL is the run's 3-master cluster.
const redisFx = useRedis();
const SIG = errorSignature({ language: 'python', type: 'NameError', message: "name 'x' is not defined" });
const input = (projectName: string) => ({
  signature: SIG,
  errorType: 'NameError',
  language: 'python',
  description: 'define x',
  workingCode: 'x = 1\nprint(x)\n',
  attempts: 1,
  projectName,
  source: 'llm' as const,
});

describe('the Redis Cluster the cluster project runs on', () => {
  it('is a real cluster of 3 masters, and the fixture prefix is hash-tagged', async () => {
    const { url, prefix, redis } = redisFx.current;
    expect(url).toMatch(/^redis\+cluster:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
    expect(prefix).toMatch(/^\{hftest-[0-9a-f]+\}$/);
    expect(redis).toBeInstanceOf(Cluster);
    const info = String(await redis.call('CLUSTER', 'INFO'));
    expect(info).toContain('cluster_state:ok');
    expect(info).toContain('cluster_size:3');
  });

  it('refuses the library on a prefix without a hash tag (CROSSSLOT), so passing runs prove the routing', async () => {
    const client = connectRedis(redisFx.current.url);
    try {
      const untagged = `hftest-untagged-${Date.now()}`;
      await expect(new FixLibrary(client, untagged).saveSuccess(input('p'))).rejects.toThrow(/CROSSSLOT/);
    } finally {
      client.disconnect();
    }
  });

  it('runs the library through the service client (createRedisClient on a redis+cluster:// URL)', async () => {
    const { url, prefix } = redisFx.current;
    const client = createRedisClient(url, 'producer', createLogger('silent'), 'cluster-test');
    try {
      // A producer fails fast instead of queueing commands, as the API's does: wait until it is up.
      if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
      const lib = new FixLibrary(client, prefix);
      await expect(lib.saveSuccess(input('one'))).resolves.toMatchObject({ saved: true, created: true });
      await lib.addAlias(SIG, 'an-older-signature');
      // The fix now has an alias: the scripts ask for its candidate set and run again with it declared.
      await expect(lib.recordFailure(SIG, 'two:1')).resolves.toBe(true);
      await expect(lib.saveSuccess({ ...input('three'), fixId: SIG })).resolves.toMatchObject({
        saved: true,
      });
      expect(await lib.lookupSignatures(['an-older-signature'])).toMatchObject([
        { fix_id: SIG, success_count: 2, failure_count: 1 },
      ]);
      expect(await lib.delete(SIG)).toBe(1);
      expect(await lib.lookupSignatures([SIG, 'an-older-signature'])).toEqual([]);
    } finally {
      await client.quit();
    }
  });
});
