import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import {
  currentRedisOutage,
  describeRedisOutage,
  isRedisConnectionError,
  redactRedisUrl,
  reportRedisDown,
  reportRedisUp,
} from './redis-outage.js';

/** A real pino logger whose lines land in an array. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { logger, lines };
}

describe('redactRedisUrl', () => {
  it('masks the password, keeps the user, host, port and db', () => {
    expect(redactRedisUrl('redis://app:s3cret@redis.internal:6380/2')).toBe(
      'redis://app:***@redis.internal:6380/2',
    );
    expect(redactRedisUrl('rediss://:s3cret@h:6379')).toBe('rediss://:***@h:6379');
    expect(redactRedisUrl('redis+cluster://u:p@a:1,b:2')).toBe('redis+cluster://u:***@a:1,b:2');
  });
  it('masks a lone user part (Redis reads it as a password) and leaves a URL without one alone', () => {
    expect(redactRedisUrl('redis://s3cret@h:6379')).toBe('redis://***@h:6379');
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});

describe('an outage is reported once per period per process, then once when it ends', () => {
  it('counts lines over many connections and retries', () => {
    const { logger, lines } = capture();
    const url = 'redis://u:pw@127.0.0.1:1';
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:1');
    // Three connections retrying every 10 ms for 250 ms, with a 100 ms period: 3 lines, not 75. The
    // clock is stepped by hand, so a loaded machine cannot stretch the 250 ms.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const start = Date.now();
      for (let t = 0; t < 25; t++) {
        vi.setSystemTime(start + t * 10);
        for (const c of ['api', 'worker', 'event-relay']) reportRedisDown(url, refused, logger, c, 100);
      }
    } finally {
      vi.useRealTimers();
    }
    const down = lines.filter((l) => String(l.msg).startsWith('Redis is not reachable'));
    expect(down.map((l) => l.downForMs)).toEqual([0, 100, 200]);
    expect(down[0]).toMatchObject({
      level: 40,
      redis: 'redis://u:***@127.0.0.1:1',
      cause: 'connect ECONNREFUSED 127.0.0.1:1',
      msg: 'Redis is not reachable at redis://u:***@127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1): check that a Redis server runs there and that REDIS_URL names it (`pnpm run doctor` checks the setup)',
    });
    expect(JSON.stringify(lines)).not.toContain('pw@');
    expect(currentRedisOutage(url)?.message).toBe(down[0]?.msg);

    reportRedisUp(url, logger, 'api');
    reportRedisUp(url, logger, 'worker');
    expect(lines.filter((l) => l.msg === 'Redis is reachable again')).toHaveLength(1);
    expect(currentRedisOutage(url)).toBeUndefined();
  });

  it('names the fix by what Redis said', () => {
    expect(describeRedisOutage('redis://h:1', 'WRONGPASS invalid username-password pair')).toMatch(
      /check the user and password in REDIS_URL$/,
    );
    expect(describeRedisOutage('redis://nohost:1', 'getaddrinfo ENOTFOUND nohost')).toMatch(
      /check the host name/,
    );
  });

  it('tells connection trouble from a bug', () => {
    expect(isRedisConnectionError(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBe(true);
    expect(
      isRedisConnectionError(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
    ).toBe(true);
    expect(isRedisConnectionError(new Error('ERR unknown command'))).toBe(false);
    expect(isRedisConnectionError('ECONNREFUSED')).toBe(false);
  });
});
