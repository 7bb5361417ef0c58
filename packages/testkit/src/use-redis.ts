import { afterEach, beforeEach } from 'vitest';
import { createRedisFixture, type RedisFixture, type RedisUrlSources } from './redis-fixture.js';

/**
 * Gives each test of the enclosing suite its own Redis fixture (fresh prefix, keys deleted afterwards).
 * Read `fixture.current` inside a test or hook, not at collection time.
 */
export function useRedis(sources?: RedisUrlSources): { readonly current: RedisFixture } {
  let fixture: RedisFixture | undefined;
  beforeEach(async () => {
    fixture = await createRedisFixture(sources);
  });
  afterEach(async () => {
    await fixture?.cleanup();
    fixture = undefined;
  });
  return {
    get current(): RedisFixture {
      if (!fixture) throw new Error('useRedis(): the fixture exists only while a test runs');
      return fixture;
    },
  };
}
