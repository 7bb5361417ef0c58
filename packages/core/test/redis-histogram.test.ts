import { connectRedis, useRedis } from '@hardfix/testkit';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createDurationMetrics } from '../src/duration-metrics.js';
import { keys } from '../src/keys.js';
import { RedisHistogram } from '../src/redis-histogram.js';

const redis = useRedis();

function histogram(client: Redis, onError?: (err: unknown) => void) {
  return new RedisHistogram(client, {
    key: `${redis.current.prefix}:histogram:test`,
    labelNames: ['stage', 'language'] as const,
    buckets: [1, 0.1, 10],
    ...(onError ? { onError } : {}),
  });
}

describe('RedisHistogram', () => {
  it('keeps cumulative buckets, sum and count per label combination', async () => {
    const h = histogram(redis.current.redis);
    await h.observe({ stage: 'generation', language: 'python' }, 0.05);
    await h.observe({ stage: 'generation', language: 'python' }, 0.1); // on a bound: le is inclusive
    await h.observe({ stage: 'generation', language: 'python' }, 5);
    await h.observe({ stage: 'generation', language: 'python' }, 42);
    await h.observe({ stage: 'hard-fix', language: 'java' }, 0.5);

    expect(await h.snapshot()).toEqual([
      {
        labels: { stage: 'generation', language: 'python' },
        buckets: [
          { le: 0.1, count: 2 },
          { le: 1, count: 2 },
          { le: 10, count: 3 },
          { le: Number.POSITIVE_INFINITY, count: 4 },
        ],
        sum: 47.15,
        count: 4,
      },
      {
        labels: { stage: 'hard-fix', language: 'java' },
        buckets: [
          { le: 0.1, count: 0 },
          { le: 1, count: 1 },
          { le: 10, count: 1 },
          { le: Number.POSITIVE_INFINITY, count: 1 },
        ],
        sum: 0.5,
        count: 1,
      },
    ]);
  });

  it('is exact under concurrent observations from several connections', async () => {
    // Separate connections stand in for separate worker processes.
    const clients = Array.from({ length: 4 }, () => connectRedis(redis.current.url));
    try {
      const histograms = clients.map((c) => histogram(c));
      const values = Array.from({ length: 2_000 }, (_, i) => (i % 37) * 0.013 + (i % 3) * 4.2);
      await Promise.all(
        values.map((v, i) =>
          (histograms[i % histograms.length] as RedisHistogram<'stage' | 'language'>).observe(
            { stage: i % 2 ? 'generation' : 'hard-fix', language: 'python' },
            v,
          ),
        ),
      );

      const series = await histograms[0]?.snapshot();
      expect(series?.map((s) => s.labels.stage)).toEqual(['generation', 'hard-fix']);
      for (const s of series ?? []) {
        const mine = values.filter((_, i) => (i % 2 ? 'generation' : 'hard-fix') === s.labels.stage);
        expect(s.count).toBe(mine.length);
        // Sums are integer microseconds, so the total is exact whatever the order of the increments.
        const expectedMicros = mine.reduce((acc, v) => acc + Math.round(v * 1e6), 0);
        expect(Math.round(s.sum * 1e6)).toBe(expectedMicros);
        expect(s.buckets.map((b) => b.count)).toEqual(
          [0.1, 1, 10, Number.POSITIVE_INFINITY].map((le) => mine.filter((v) => v <= le).length),
        );
      }
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });

  it('times a function that throws, and record() reports a Redis failure instead of throwing', async () => {
    const h = histogram(redis.current.redis);
    await expect(
      h.time({ stage: 'smart-retry', language: 'java' }, async () => {
        await new Promise((r) => setTimeout(r, 20));
        throw new Error('stage failed');
      }),
    ).rejects.toThrow('stage failed');
    const [series] = await h.snapshot();
    expect(series?.count).toBe(1);
    expect(series?.sum).toBeGreaterThanOrEqual(0.015);

    const closed = new Redis(redis.current.url, { lazyConnect: true, enableOfflineQueue: false });
    const errors: unknown[] = [];
    await histogram(closed, (err) => errors.push(err)).record({ stage: 'x', language: 'y' }, 1);
    expect(errors).toHaveLength(1);
    closed.disconnect();
  });

  it('rejects values a duration cannot have', async () => {
    const h = histogram(redis.current.redis);
    await expect(h.observe({ stage: 'a', language: 'b' }, -1)).rejects.toThrow(RangeError);
    await expect(h.observe({ stage: 'a', language: 'b' }, Number.NaN)).rejects.toThrow(RangeError);
    expect(await h.snapshot()).toEqual([]);
  });

  it('the duration metrics live under the queue prefix', async () => {
    const metrics = createDurationMetrics(redis.current.redis, redis.current.prefix);
    await metrics.llmCall.observe({ tool: 'write_files' }, 1.5);
    expect(
      await redis.current.redis.exists(
        keys(redis.current.prefix).histogram('hardfix_llm_call_duration_seconds'),
      ),
    ).toBe(1);
  });
});
