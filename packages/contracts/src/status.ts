import { z } from 'zod';
import { MANUAL_QUEUE } from './manual-job.js';
import { PROJECT_STATUSES } from './project.js';
import { QUEUE_NAMES } from './queues.js';

/** The queues /status counts: every stage queue and the queue of reviewers' fixes. */
export const STATUS_QUEUES = [...QUEUE_NAMES, MANUAL_QUEUE] as const;
export type StatusQueue = (typeof STATUS_QUEUES)[number];

/** BullMQ job counts of one stage queue. */
export const queueCountsSchema = z.object({
  waiting: z.number().int().nonnegative(),
  active: z.number().int().nonnegative(),
  delayed: z.number().int().nonnegative(),
  completed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type QueueCounts = z.infer<typeof queueCountsSchema>;
export const QUEUE_STATES = Object.keys(queueCountsSchema.shape) as (keyof QueueCounts)[];

const ratio = z.number().min(0).max(1);

/** The seed's "Success Metrics"; each one is defined in README "Watching it". */
export const hardFixStatusSchema = z.object({
  activeFixes: z.number().int().nonnegative().describe('projects in status hard-fix'),
  librarySize: z.number().int().nonnegative().describe('proven fixes in the library'),
  reuseRate: ratio.describe('hard-fix successes that came from the library / all hard-fix successes'),
  averageAttempts: z.number().nonnegative().describe('fix attempts a hard-fix success took, on average'),
  successRate: ratio.describe('hard-fix successes / (successes + projects that used up their attempts)'),
  manualReview: z.number().int().nonnegative().describe('projects waiting for manual review'),
});
export type HardFixStatus = z.infer<typeof hardFixStatusSchema>;

const count = z.number().int().nonnegative();

const languageSelfTestSchema = z.object({
  ok: z.boolean(),
  installed: z
    .boolean()
    .describe('false: the interpreter is missing (its projects park), not a failure of the sandbox'),
  reason: z.string().optional(),
  durationMs: z.number().nonnegative(),
  at: z.string().describe('when the self-test ran'),
});

const registryHealthSchema = z.object({
  variable: z.string().describe('PIP_INDEX_URL or NPM_CONFIG_REGISTRY'),
  url: z.string(),
  ok: z.boolean().nullable().describe('null until the first check or install'),
  checkedAt: z.string().nullable(),
  detail: z.string().optional().describe('why it did not answer'),
});

/** A worker's dependency installer: the registries it installs from and its cache of installed sets. */
export const dependencyHealthSchema = z.object({
  enabled: z.boolean().describe('DEPENDENCIES=on'),
  allowlist: z.union([z.literal('*'), z.array(z.string())]).describe('DEPENDENCY_ALLOWLIST'),
  /** By package ecosystem (`pypi`, `npm`); languages that share one share its registry. */
  registries: z.record(z.string(), registryHealthSchema),
  cache: z.object({
    entries: z.number().int().nonnegative().describe('installed sets on disk'),
    bytes: z.number().nonnegative(),
    maxBytes: z.number().nonnegative(),
    hits: z.number().int().nonnegative(),
    misses: z.number().int().nonnegative(),
    hitRate: z.number().nullable().describe('hits / (hits + misses) since the worker started'),
  }),
});
export type DependencyHealthView = z.infer<typeof dependencyHealthSchema>;

/** One sandbox's health: whether it can run programs, with each language's last self-test. */
export const sandboxHealthSchema = z.object({
  state: z.enum(['starting', 'ready', 'failed']),
  reasons: z.array(z.string()).describe('why it is not ready, one line each'),
  mode: z.string(),
  languages: z.record(z.string(), languageSelfTestSchema),
  isolation: z
    .object({
      nestedNamespaces: z.boolean().describe('true when a program can create namespaces of its own'),
      inheritedDescriptorsClosed: z.boolean(),
      cgroupLimits: z.object({
        applied: z.boolean().describe('each verification runs under cgroup memory.max and pids.max'),
        reason: z.string(),
      }),
    })
    .optional()
    .describe('what holds beyond the per-process limits (README, The sandbox)'),
  dependencies: dependencyHealthSchema.optional(),
});

export const sandboxStatusSchema = z
  .object({
    kind: z.string().describe('SANDBOX_MODE: bubblewrap, or insecure-process (no isolation, opted into)'),
    network: z.boolean().describe('true when sandboxed programs can reach the network'),
    insecure: z.boolean().describe('true in SANDBOX_MODE=insecure-process'),
    workers: z
      .array(sandboxHealthSchema.extend({ worker: z.string() }))
      .describe('every live worker process, with its last self-test per language'),
  })
  .describe('the isolation generated code runs in, and whether it works');

export const statusSchema = z.object({
  queues: z.object(
    Object.fromEntries(STATUS_QUEUES.map((q) => [q, queueCountsSchema])) as Record<
      StatusQueue,
      typeof queueCountsSchema
    >,
  ),
  hardFix: hardFixStatusSchema,
  projects: z.object({
    ...(Object.fromEntries(PROJECT_STATUSES.map((s) => [s, count])) as Record<
      (typeof PROJECT_STATUSES)[number],
      typeof count
    >),
    total: count.describe('projects ever created'),
  }),
  llm: z.object({
    configured: z.boolean().describe('ANTHROPIC_API_KEY is set'),
    calls: count,
    inputTokens: count.describe('uncached input tokens'),
    outputTokens: count,
    cacheWriteTokens: count.describe('input tokens written to the prompt cache'),
    cacheReadTokens: count.describe('input tokens read from the prompt cache'),
    estimatedCostUsd: z.number().nonnegative().describe('spend so far at the price table rates'),
    costPerDeliveredProjectUsd: z
      .number()
      .nonnegative()
      .describe('estimatedCostUsd / delivered projects (all spend, failed projects included); 0 before one'),
    budgetStops: count.describe('projects sent to manual review for reaching their token or cost budget'),
    model: z.string().describe('LLM_MODEL, the model every stage asks'),
    cacheReadShare: z
      .number()
      .min(0)
      .max(1)
      .describe(
        'share of all input tokens served from the prompt cache: cacheRead / (input + cacheWrite + cacheRead)',
      ),
    paused: z
      .object({ reason: z.string(), at: z.string(), until: z.string() })
      .nullable()
      .describe('set while every LLM stage waits for a spend limit to lift; null otherwise'),
  }),
  sandbox: sandboxStatusSchema,
});
export type Status = z.infer<typeof statusSchema>;
