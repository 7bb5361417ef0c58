import { describe, expect, it } from 'vitest';
import { createRedisFixture, RedisUnavailableError, resolveRedisUrl } from '../src/redis-fixture.js';
import { useRedis } from '../src/use-redis.js';

describe('Redis fixture', () => {
  it('fails with a message naming REDIS_URL and Docker when neither is available', async () => {
    const attempt = resolveRedisUrl({
      redisUrl: undefined,
      probeDocker: async () => {
        throw new Error('Could not find a working container runtime strategy');
      },
      startContainer: async () => {
        throw new Error('must not start a container without Docker');
      },
      probeLocal: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      },
    });

    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(/set REDIS_URL.*start a Docker engine/);
  });

  it('prefers an explicit URL over Docker', async () => {
    const url = await resolveRedisUrl({
      redisUrl: 'redis://example:6380/2',
      probeDocker: async () => {
        throw new Error('must not probe');
      },
    });

    expect(url).toBe('redis://example:6380/2');
  });

  it('without REDIS_URL and Docker, uses a Redis that answers on the default local port', async () => {
    const url = await resolveRedisUrl({
      redisUrl: undefined,
      probeDocker: async () => {
        throw new Error('Could not find a working container runtime strategy');
      },
    });
    // This machine runs one at 127.0.0.1:6379 (the suite's other tests need it too).
    expect(url).toBe('redis://127.0.0.1:6379');
  });

  it('starts a container when no URL is set but Docker answers', async () => {
    const url = await resolveRedisUrl({
      redisUrl: '',
      probeDocker: async () => ({}),
      startContainer: async () => 'redis://localhost:32768',
    });

    expect(url).toBe('redis://localhost:32768');
  });

  it('deletes only its own prefixed keys on cleanup and closes the connection', async () => {
    const mine = await createRedisFixture();
    const other = await createRedisFixture();
    try {
      expect(mine.prefix).toMatch(/^hftest-[0-9a-f]{12}$/);
      expect(mine.prefix).not.toBe(other.prefix);
      // More keys than one SCAN page so the cursor loop is exercised.
      const pipeline = mine.redis.pipeline();
      for (let i = 0; i < 1_200; i++) pipeline.set(`${mine.prefix}:k${i}`, 'v');
      await pipeline.exec();
      await other.redis.set(`${other.prefix}:keep`, 'v');

      await mine.cleanup();

      await expect(mine.redis.get('anything')).rejects.toThrow(/Connection is closed/);
      expect(await other.redis.keys(`${mine.prefix}*`)).toEqual([]);
      expect(await other.redis.get(`${other.prefix}:keep`)).toBe('v');
    } finally {
      await mine.cleanup();
      await other.cleanup();
    }
  });

  describe('useRedis()', () => {
    const fixture = useRedis();
    const seen: string[] = [];

    it('gives a working client in each test', async () => {
      await fixture.current.redis.set(`${fixture.current.prefix}:a`, '1');
      seen.push(fixture.current.prefix);
      expect(await fixture.current.redis.get(`${fixture.current.prefix}:a`)).toBe('1');
    });

    it('with a fresh prefix per test', () => {
      seen.push(fixture.current.prefix);
      expect(new Set(seen).size).toBe(2);
    });
  });
});
