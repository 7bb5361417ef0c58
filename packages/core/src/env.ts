import { DEPENDENCY_ECOSYSTEMS } from '@hardfix/languages';
import { z } from 'zod';
import { isClusterUrl, isHashTagged, parseClusterUrl } from './redis-url.js';

const DEFAULT_MODEL = 'claude-sonnet-5-5';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

/** The environment (README, "Configuration"); the only place that reads process.env. */
export const envSchema = z
  .object({
    /** `redis+cluster://host:port,host:port` for a Redis Cluster (then QUEUE_PREFIX must be `{...}`). */
    REDIS_URL: z
      .string()
      .default('redis://127.0.0.1:6379')
      .superRefine((v, ctx) => {
        if (!/^rediss?(\+cluster)?:\/\//.test(v))
          return void ctx.addIssue({
            code: 'custom',
            message: 'must be a redis://, rediss:// or redis+cluster:// URL',
          });
        try {
          parseClusterUrl(v);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      }),
    /**
     * Beyond the service contract's table: how often a Redis that stays unreachable is reported again
     * (one log line per period per process, naming the URL and what to check). Tests shorten it.
     */
    REDIS_DOWN_LOG_MS: positiveInt(15_000),
    /**
     * Internal, for tests: where `pnpm start` and `pnpm demo` look for a Redis when REDIS_URL is unset
     * (nothing answering there: they start their own). A real Redis answers on the default port on
     * most development machines, so a test points this at a closed port.
     */
    HARDFIX_LOCAL_REDIS_URL: z
      .string()
      .default('redis://127.0.0.1:6379')
      .refine((v) => /^redis:\/\/[^/]+/.test(v), 'must be a redis:// URL'),
    /**
     * Internal, for tests: where `pnpm start` and `pnpm demo` keep their embedded Redis's data
     * (`<dir>/redis/`); unset: `.hardfix/` in the repository.
     */
    HARDFIX_STATE_DIR: optionalString.refine(
      (v) => v === undefined || v.startsWith('/'),
      'must be an absolute path',
    ),
    QUEUE_PREFIX: z
      .string()
      .default('hardfix')
      .refine(
        (v) => /^[{}A-Za-z0-9_-]{1,64}$/.test(v),
        'must be 1-64 characters of letters, digits, _ - { }',
      ),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    API_TOKEN: optionalString.refine(
      (v) => v === undefined || v.length >= 8,
      'must be at least 8 characters',
    ),
    ANTHROPIC_API_KEY: optionalString,
    ANTHROPIC_BASE_URL: optionalString.refine(
      (v) => v === undefined || /^https?:\/\//.test(v),
      'must be an http:// or https:// URL',
    ),
    LLM_MODEL: z.string().min(1).default(DEFAULT_MODEL),
    /**
     * Beyond the service contract's table: `cache_control` on what repeats across a project's calls (see README).
     * Off only for an endpoint that rejects it, or to measure what caching saves (`pnpm bench:cost`).
     */
    LLM_PROMPT_CACHING: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /**
     * Beyond the service contract's table: how long one model request may take. The SDK tries a timed-out
     * request twice more; then the stage parks its work as "LLM unavailable (timeout)" and tries again
     * later without using an attempt. So an endpoint that stalls holds a job about three times this.
     */
    LLM_TIMEOUT_MS: positiveInt(300_000),
    /**
     * Beyond the service contract's table: the model asked when LLM_MODEL refuses (`stop_reason:
     * "refusal"`). Unset: a refusal parks the work with its reason for an operator.
     */
    LLM_FALLBACK_MODEL: optionalString,
    /**
     * Beyond the service contract's table: how long every LLM stage waits after the API says the
     * organisation reached its spend limit, before one call tries again (no retry storm meanwhile).
     */
    LLM_SPEND_LIMIT_PAUSE_MS: positiveInt(600_000),
    RETRY_INTERVAL_MS: nonNegativeInt(30_000),
    NORMAL_RETRIES: positiveInt(3),
    SMART_RETRY_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.7),
    HARD_FIX_MAX_ATTEMPTS: positiveInt(20),
    VERIFY_TIMEOUT_MS: positiveInt(10_000),
    DELIVERY_DIR: z.string().min(1).default('./delivered'),
    WORKER_CONCURRENCY: positiveInt(8),
    /**
     * Beyond the service contract's table: how long a job's lock lasts before another worker may take over a job
     * whose worker died. BullMQ renews it while the worker lives; tests shorten it to test crashes.
     */
    JOB_LOCK_MS: positiveInt(30_000),
    /**
     * Beyond the service contract's table: how many times a job may stall (its worker gone past the lock)
     * and be taken over before BullMQ fails it for good; tests lower it to make a job stall out.
     */
    JOB_MAX_STALLED: positiveInt(5),
    /**
     * Beyond the service contract's table: how long POST /review/:id/resolve waits for a worker to take
     * the reviewer's files (the verification's own VERIFY_TIMEOUT_MS comes on top) before it answers 503
     * and leaves the project in manual review. Tests shorten it.
     */
    RESOLVE_WAIT_MS: positiveInt(30_000),
    /**
     * How often a worker re-ensures the job of every project in an active status that has none (a job
     * lost to a crash between a write and its hand-off, or removed); tests shorten it.
     */
    ORPHAN_SWEEP_MS: positiveInt(60_000),
    /**
     * `bubblewrap`: a process whose sandbox cannot run refuses to start; `insecure-process`: the explicit
     * opt-in to run generated code without isolation (shouted in the log, /status and /metrics).
     */
    SANDBOX_MODE: z.enum(['bubblewrap', 'insecure-process']).default('bubblewrap'),
    /** Where verification workspaces are made; unset: a directory the service creates, whatever TMPDIR is. */
    SANDBOX_WORK_DIR: optionalString.refine(
      (v) => v === undefined || v.startsWith('/'),
      'must be an absolute path',
    ),
    /** HMAC-SHA256 key of webhook signatures; without it a request with a `callbackUrl` is refused. */
    WEBHOOK_SECRET: optionalString.refine(
      (v) => v === undefined || v.length >= 16,
      'must be at least 16 characters (a short key makes signatures guessable)',
    ),
    /**
     * Comma list of hosts (or host:port) callbacks may go to, at any address; unset: any host whose
     * address is public (not loopback, private, link-local, unique-local or IPv4-mapped).
     */
    WEBHOOK_ALLOWED_HOSTS: optionalString,
    /**
     * Beyond the service contract's table: the first wait before a failed webhook is retried; it doubles per try up
     * to an hour, for a day. Tests shorten it.
     */
    WEBHOOK_BACKOFF_MS: positiveInt(10_000),
    /** Beyond the service contract's table: how long one webhook request may take, answer included. */
    WEBHOOK_TIMEOUT_MS: positiveInt(5_000),
    /**
     * How many `GET /events` streams the API holds open at once (each holds a Redis connection for its
     * blocking read); past it a client gets 503 and retries later.
     */
    EVENTS_MAX_STREAMS: positiveInt(100),
    /**
     * How long a `GET /events` client may take nothing of what was written to it (its socket's buffer
     * stays full) before its stream is closed; quiet streams are kept alive by heartbeats, which come at
     * least twice within this time.
     */
    EVENTS_IDLE_MS: positiveInt(60_000),
    /**
     * Tokens one project may spend (input, cache writes, cache reads and output) before it stops calling
     * the model and goes to manual review with the reason "budget".
     */
    PROJECT_TOKEN_BUDGET: positiveInt(2_000_000),
    /** Optional: the same in estimated US dollars (price table in @hardfix/llm prices.ts). */
    PROJECT_COST_BUDGET_USD: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
      z.coerce.number().positive().optional(),
    ),
    /** Where pip finds packages (a PEP 503 simple index: PyPI, devpi, Artifactory); unset: pip's default, PyPI. */
    PIP_INDEX_URL: optionalString.refine(
      (v) => v === undefined || /^https?:\/\//.test(v),
      'must be an http:// or https:// URL',
    ),
    /** Where npm finds packages (the npm registry, Verdaccio, Artifactory); unset: npm's default. */
    NPM_CONFIG_REGISTRY: optionalString.refine(
      (v) => v === undefined || /^https?:\/\//.test(v),
      'must be an http:// or https:// URL',
    ),
    /**
     * `*` (any package) or a comma list of the package names a project may declare, each bare (every
     * ecosystem) or scoped to one (`pypi:requests`, `npm:left-pad`).
     */
    DEPENDENCY_ALLOWLIST: z
      .string()
      .default('*')
      .refine(
        (v) =>
          v.trim() === '*' ||
          /^\s*(?:[a-z0-9]+:)?[@A-Za-z0-9][@/A-Za-z0-9._~-]*(\s*,\s*(?:[a-z0-9]+:)?[@A-Za-z0-9][@/A-Za-z0-9._~-]*)*\s*,?\s*$/.test(
            v,
          ),
        'must be * or a comma list of package names (each may be scoped: pypi:name, npm:name)',
      )
      .refine(
        (v) =>
          v
            .split(',')
            .every(
              (item) =>
                !/^\s*([a-z0-9]+):/.test(item) ||
                DEPENDENCY_ECOSYSTEMS.includes(item.trim().split(':')[0] ?? ''),
            ),
        `a scope must be one of the ecosystems packages are installed from: ${DEPENDENCY_ECOSYSTEMS.join(', ')}`,
      ),
    /** `off`: the standard library only; a declared package is refused as not allowed. */
    DEPENDENCIES: z.enum(['on', 'off']).default('on'),
    /** Beyond the service contract's table: where installed dependency sets are cached (a volume in compose). */
    DEPENDENCY_CACHE_DIR: optionalString.refine(
      (v) => v === undefined || v.startsWith('/'),
      'must be an absolute path',
    ),
    /** Beyond the service contract's table: the cache's size; least recently used sets go first. */
    DEPENDENCY_CACHE_MAX_BYTES: positiveInt(4 * 1024 * 1024 * 1024),
    /** Beyond the service contract's table: time limit of one install (a registry slower than this is down). */
    DEPENDENCY_INSTALL_TIMEOUT_MS: positiveInt(120_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  // Every multi-key command, MULTI and Lua script (ours and BullMQ's) needs its keys in one slot.
  .refine((env) => !isClusterUrl(env.REDIS_URL) || isHashTagged(env.QUEUE_PREFIX), {
    path: ['QUEUE_PREFIX'],
    message: 'must be a hash tag such as {hardfix} when REDIS_URL is a redis+cluster:// URL',
  });
export type Env = z.infer<typeof envSchema>;

/**
 * Whether REDIS_URL was given. Without it, `pnpm start` and `pnpm demo` may run a Redis of their own;
 * with it, a Redis that does not answer is reported and waited for, never replaced.
 */
export function isRedisUrlSet(source: NodeJS.ProcessEnv = process.env): boolean {
  return (source.REDIS_URL ?? '').trim() !== '';
}

export class EnvError extends Error {
  readonly code = 'invalid_environment';
  constructor(readonly issues: string[]) {
    super(`Invalid environment:\n  ${issues.join('\n  ')}`);
    this.name = 'EnvError';
  }
}

/** Parses the environment once; a bad value throws an EnvError naming every bad variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((i) => {
      const name = i.path.join('.');
      return `${name}: ${i.message} (got ${JSON.stringify(source[name] ?? null)})`;
    }),
  );
}

/** For entry points: a bad environment prints which variables are wrong (one line) and stops with exit code 2. */
export function loadEnvOrExit(source: NodeJS.ProcessEnv = process.env): Env {
  try {
    return loadEnv(source);
  } catch (err) {
    if (!(err instanceof EnvError)) throw err;
    // One line, every bad variable with what it must be, like every other refusal to start.
    process.stderr.write(`hardfix: refusing to start: invalid environment: ${err.issues.join('; ')}\n`);
    process.exit(2);
  }
}
