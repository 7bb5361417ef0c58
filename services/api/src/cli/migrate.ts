import { parseArgs } from 'node:util';
import {
  closeQueues,
  createQueues,
  createRedisClient,
  currentRedisOutage,
  describeRedisOutage,
  FixLibrary,
  loadEnvOrExit,
  logBullErrors,
  ProjectStore,
} from '@hardfix/core';
import { pino } from 'pino';
import { formatReport, migrate } from '../lib/migrate/migrate.js';
import { SeedFileError } from '../lib/migrate/seed-files.js';
import { waitForRedis } from '../lib/wait-for-redis.js';

const REDIS_WAIT_MS = 5_000;
const USAGE = 'usage: pnpm migrate --from <implementations folder> [--dry-run]';

/** `pnpm migrate`: imports the Python system's implementations/ folder into REDIS_URL / QUEUE_PREFIX. */
async function main(): Promise<number> {
  let values: { from?: string | undefined; 'dry-run'?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      options: { from: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (!values.from) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const env = loadEnvOrExit();
  // The CLI says what went wrong itself, in one line; the connection's own outage lines stay quiet.
  const logger = pino({ level: 'error' });
  const redis = createRedisClient(env.REDIS_URL, 'producer', logger, 'migrate');
  const queues = createQueues(redis, env.QUEUE_PREFIX);
  logBullErrors(queues, logger);
  try {
    if (!(await waitForRedis(redis, REDIS_WAIT_MS))) {
      const cause = currentRedisOutage(env.REDIS_URL)?.cause ?? `no answer within ${REDIS_WAIT_MS} ms`;
      process.stderr.write(`${describeRedisOutage(env.REDIS_URL, cause)}\nnothing was imported\n`);
      return 1;
    }
    const report = await migrate(
      {
        redis,
        prefix: env.QUEUE_PREFIX,
        store: new ProjectStore(redis, env.QUEUE_PREFIX),
        queues,
        library: new FixLibrary(redis, env.QUEUE_PREFIX),
      },
      values.from,
      values['dry-run'] === true,
    );
    process.stdout.write(`${formatReport(report)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof SeedFileError)) throw err;
    process.stderr.write(`${err.message}\nnothing was imported\n`);
    return 1;
  } finally {
    await closeQueues(queues);
    await redis.quit().catch(() => redis.disconnect());
  }
}

process.exitCode = await main();
