import { describe, expect, it } from 'vitest';
import { EnvError, isRedisUrlSet, loadEnv } from './env.js';

describe('budget and caching settings', () => {
  it('default to a generous token budget, no cost cap and caching on', () => {
    const env = loadEnv({});
    expect(env.PROJECT_TOKEN_BUDGET).toBe(2_000_000);
    expect(env.PROJECT_COST_BUDGET_USD).toBeUndefined();
    expect(env.LLM_PROMPT_CACHING).toBe(true);
  });

  it('read their values; an empty cost budget means none', () => {
    const env = loadEnv({
      PROJECT_TOKEN_BUDGET: '5000',
      PROJECT_COST_BUDGET_USD: '0.25',
      LLM_PROMPT_CACHING: 'false',
    });
    expect(env).toMatchObject({
      PROJECT_TOKEN_BUDGET: 5000,
      PROJECT_COST_BUDGET_USD: 0.25,
      LLM_PROMPT_CACHING: false,
    });
    expect(loadEnv({ PROJECT_COST_BUDGET_USD: '' }).PROJECT_COST_BUDGET_USD).toBeUndefined();
  });

  it('refuse a bad value, naming the variable', () => {
    for (const [name, value] of [
      ['PROJECT_TOKEN_BUDGET', '0'],
      ['PROJECT_COST_BUDGET_USD', '-1'],
      ['LLM_PROMPT_CACHING', 'yes'],
      ['DEPENDENCY_ALLOWLIST', 'pip:requests'],
      ['DEPENDENCY_ALLOWLIST', 'requests;numpy'],
    ] as const) {
      expect(() => loadEnv({ [name]: value })).toThrow(EnvError);
      expect(() => loadEnv({ [name]: value })).toThrow(new RegExp(`${name}: .*\\(got "${value}"\\)`));
    }
  });
});

describe('DEPENDENCY_ALLOWLIST', () => {
  it('takes bare names and names scoped to an ecosystem packages come from', () => {
    expect(
      loadEnv({ DEPENDENCY_ALLOWLIST: 'pypi:requests, npm:left-pad, Pillow' }).DEPENDENCY_ALLOWLIST,
    ).toBe('pypi:requests, npm:left-pad, Pillow');
    expect(() => loadEnv({ DEPENDENCY_ALLOWLIST: 'pip:requests' })).toThrow(
      /DEPENDENCY_ALLOWLIST: a scope must be one of the ecosystems packages are installed from: pypi, npm/,
    );
  });
});

describe('Redis Cluster settings', () => {
  it('accept a redis+cluster:// URL with a hash-tagged prefix', () => {
    const env = loadEnv({ REDIS_URL: 'redis+cluster://127.0.0.1:7001,127.0.0.1:7002', QUEUE_PREFIX: '{hf}' });
    expect(env.REDIS_URL).toBe('redis+cluster://127.0.0.1:7001,127.0.0.1:7002');
  });

  it('refuse a cluster without a hash-tagged prefix, naming QUEUE_PREFIX', () => {
    expect(() => loadEnv({ REDIS_URL: 'redis+cluster://127.0.0.1:7001', QUEUE_PREFIX: 'hardfix' })).toThrow(
      /QUEUE_PREFIX: must be a hash tag such as \{hardfix\}/,
    );
  });

  it('refuse a cluster node without a port', () => {
    expect(() => loadEnv({ REDIS_URL: 'redis+cluster://127.0.0.1', QUEUE_PREFIX: '{hf}' })).toThrow(EnvError);
    expect(() => loadEnv({ REDIS_URL: 'redis+cluster://127.0.0.1', QUEUE_PREFIX: '{hf}' })).toThrow(
      /cluster node "127.0.0.1" must be host:port/,
    );
  });
});

describe('the Redis of pnpm start and pnpm demo', () => {
  it('knows whether REDIS_URL was given (an empty one is not)', () => {
    expect(isRedisUrlSet({})).toBe(false);
    expect(isRedisUrlSet({ REDIS_URL: ' ' })).toBe(false);
    expect(isRedisUrlSet({ REDIS_URL: 'redis://h:1' })).toBe(true);
  });

  it('defaults the probe address, the state directory and the outage period; refuses bad ones by name', () => {
    expect(loadEnv({})).toMatchObject({
      HARDFIX_LOCAL_REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_DOWN_LOG_MS: 15_000,
    });
    expect(loadEnv({}).HARDFIX_STATE_DIR).toBeUndefined();
    expect(() => loadEnv({ HARDFIX_STATE_DIR: 'relative/dir' })).toThrow(
      /HARDFIX_STATE_DIR: must be an absolute path/,
    );
    expect(() => loadEnv({ HARDFIX_LOCAL_REDIS_URL: 'http://x' })).toThrow(
      /HARDFIX_LOCAL_REDIS_URL: must be a redis:\/\//,
    );
    expect(() => loadEnv({ REDIS_DOWN_LOG_MS: '0' })).toThrow(/REDIS_DOWN_LOG_MS: /);
  });
});
