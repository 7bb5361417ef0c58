// The unit lane's setup (vitest.unit.config.ts): no Redis to find, so a test that needs one is not a
// unit test and fails at once, naming the problem, instead of quietly using the shared server.
process.env.REDIS_URL = 'redis://unit-tests-have-no-redis.invalid:1';
