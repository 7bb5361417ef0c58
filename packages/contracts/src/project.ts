import { z } from 'zod';
import { languageSchema, projectFileSchema, projectNameSchema } from './names.js';

export const PROJECT_STATUSES = [
  'queued',
  'generating',
  'retrying',
  'smart-retry',
  'hard-fix',
  'manual-review',
  'delivered',
  'abandoned',
] as const;
export const projectStatusSchema = z.enum(PROJECT_STATUSES);
export type ProjectStatus = z.infer<typeof projectStatusSchema>;

/** The pipeline stage a project (or one of its attempts) is in. */
export const STAGES = ['generation', 'smart-retry', 'hard-fix', 'import', 'manual'] as const;
export const stageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof stageSchema>;

export const STRATEGY_TIERS = ['conservative', 'moderate', 'aggressive', 'nuclear'] as const;
export const strategyTierSchema = z.enum(STRATEGY_TIERS);
export type StrategyTier = z.infer<typeof strategyTierSchema>;

export const FIX_SOURCES = ['llm', 'library', 'manual'] as const;
export const fixSourceSchema = z.enum(FIX_SOURCES);
export type FixSource = z.infer<typeof fixSourceSchema>;

/** What a failed verification reduced to: enough to show a person and to match proven fixes. */
export const attemptErrorSchema = z.object({
  type: z.string(),
  message: z.string(),
  signature: z.string(),
});
export type AttemptError = z.infer<typeof attemptErrorSchema>;

/**
 * Error types of failed attempts whose candidate was refused without being run: an answer that did not
 * fit the tool, a candidate the model had already proposed, one that touches the tests. The program's
 * own error is still the one from before them.
 */
export const REFUSED_UNRUN = {
  invalidAnswer: 'InvalidModelAnswer',
  duplicate: 'DuplicateCandidate',
  specChanged: 'SpecChanged',
} as const;
const refusedUnrun: ReadonlySet<string> = new Set(Object.values(REFUSED_UNRUN));

/** Whether the attempt's candidate ran and failed, as opposed to being refused unrun. */
export function ranAndFailed(error: AttemptError | undefined): error is AttemptError {
  return error !== undefined && !refusedUnrun.has(error.type);
}

/** What the project's tests did in one verification (absent when the project has no tests). */
export const testCountsSchema = z.object({
  run: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
});
export type TestCounts = z.infer<typeof testCountsSchema>;

export const attemptSchema = z.object({
  /** 1-based, counted per stage (generation 1..NORMAL_RETRIES, smart-retry 1, hard-fix 1..MAX). */
  n: z.number().int().positive(),
  stage: stageSchema,
  strategy: strategyTierSchema.optional(),
  outcome: z.enum(['passed', 'failed']),
  error: attemptErrorSchema.optional(),
  fixSource: fixSourceSchema.optional(),
  /** The signature of the error this attempt set out to fix (hard fix, or a library repair). */
  fixSignature: z.string().optional(),
  /** The proven fix that was applied, when `fixSource` is "library". */
  fixId: z.string().optional(),
  /** The tests of this attempt's verification; absent when none ran (no tests, or refused unrun). */
  tests: testCountsSchema.optional(),
  /**
   * Hard fix: the line range the model was shown (also for a candidate refused unrun), so the next
   * attempt can move on from a block that keeps failing (see core's localise/choose-block.ts).
   */
  shown: z
    .object({
      file: z.string(),
      startLine: z.number().int().positive(),
      endLine: z.number().int().positive(),
    })
    .optional(),
  at: z.string(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const tokenUsageSchema = z.object({
  calls: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** Input tokens written to the prompt cache (billed above the input rate); 0 in records from before. */
  cacheWriteTokens: z.number().int().nonnegative().default(0),
  /** Input tokens read from the prompt cache (billed at a tenth of the input rate). */
  cacheReadTokens: z.number().int().nonnegative().default(0),
  /** Estimated spend in millionths of a dollar, at the price table's rate for the model that answered. */
  costMicroUsd: z.number().int().nonnegative().default(0),
  /**
   * The tokens the budget counts: input and output as they are, cache writes and reads weighted by their
   * price against the input price (a cache read costs a tenth of an input token or less). Absent in
   * records from before, where every token counted in full.
   */
  budgetTokens: z.number().nonnegative().optional(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** Every token paid for, as budgets count them (see budgetTokens). */
export function tokensSpent(usage: TokenUsage): number {
  return (
    usage.budgetTokens ??
    usage.inputTokens + usage.cacheWriteTokens + usage.cacheReadTokens + usage.outputTokens
  );
}

export const deliverySchema = z.object({ path: z.string(), at: z.string() });

export const projectSchema = z.object({
  id: z.string(),
  name: projectNameSchema,
  language: languageSchema,
  /** The user's request; absent for imported projects. */
  prompt: z.string().optional(),
  status: projectStatusSchema,
  stage: stageSchema,
  entry: z.string().optional(),
  attempts: z.array(attemptSchema),
  usage: tokenUsageSchema,
  delivery: deliverySchema.optional(),
  /** Why work is parked (for example, no API key), shown to operators; cleared when work resumes. */
  parked: z.object({ reason: z.string(), at: z.string() }).optional(),
  /** What the last verified candidate's manifest declared, and the set installed for it (name, version). */
  dependencies: z
    .object({
      declared: z.array(z.string()),
      installed: z.array(z.object({ name: z.string(), version: z.string() })),
    })
    .optional(),
  abandonReason: z.string().optional(),
  /** Why the project is in manual review when it is not that hard fix ran out of attempts ("budget"). */
  reviewReason: z.string().optional(),
  /**
   * What the project had spent when a reviewer last sent it back: its budget counts from here, so a
   * retry gets a fresh budget as it gets fresh attempts.
   */
  budgetFrom: z
    .object({ tokens: z.number().nonnegative(), costMicroUsd: z.number().nonnegative() })
    .optional(),
  /**
   * The spec: paths of the test files generation wrote (or the import brought), fixed from then on;
   * an empty list means the project has no tests and is verified on its run alone.
   */
  testFiles: z.array(z.string()).optional(),
  /** Library fixes already tried on this project: a fix that failed here is not offered again. */
  triedFixes: z.array(z.string()).optional(),
  /** The AI failure analysis after the normal attempts; kept so a re-run never pays for it twice. */
  analysis: z
    .object({ confidence: z.number().min(0).max(1), diagnosis: z.string(), plan: z.string(), at: z.string() })
    .optional(),
  /**
   * Hard-fix attempt numbers keep counting across review rounds (so job ids stay unique); a reviewer's
   * retry sets this to the last used n, and the tier and budget are counted from it.
   */
  hardFixBase: z.number().int().nonnegative().optional(),
  /** Where this project's events are POSTed (signed), if the caller asked for webhooks. */
  callbackUrl: z.string().optional(),
  /**
   * Progress mark ("<status>:<attempt count>") of the last `project.parked` event. Work that is parked,
   * resumed and parked again without any progress (an LLM outage with backoff) is not news twice.
   */
  parkedEventFor: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Bumped on every write; the store uses it for optimistic concurrency. */
  version: z.number().int().nonnegative(),
});
export type Project = z.infer<typeof projectSchema>;

export const codeBlockSchema = z.object({
  file: z.string(),
  /** 1-based, inclusive. */
  startLine: z.number().int().positive(),
  endLine: z.number().int().positive(),
  code: z.string(),
});
export type CodeBlock = z.infer<typeof codeBlockSchema>;

/** A failed verification as extracted from the real output of the run. */
export const failureSchema = z.object({
  type: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  block: codeBlockSchema.optional(),
  /**
   * The project's own (non-test) frames of the failing stack, innermost first: where hard fix looks
   * next when the crashing line is not the fault (a caller passed the wrong value).
   */
  frames: z
    .array(z.object({ file: z.string(), line: z.number().int().positive() }))
    .max(50)
    .optional(),
  /**
   * The project's lines ranked by how suspicious the tests make them (spectrum-based localisation:
   * Ochiai over the lines failing and passing tests run), most suspicious first; absent when the
   * language has no cheap line trace or the run had none.
   */
  suspicious: z
    .array(z.object({ file: z.string(), line: z.number().int().positive(), score: z.number() }))
    .max(50)
    .optional(),
  /**
   * The verification step that failed (absent when none did: no test ran, the deadline fell between
   * steps, no entry point). Tells a compile error from the same error type raised while running.
   */
  phase: z.enum(['compile', 'test', 'run']).optional(),
  /** The tail of the run's output, capped, for people and for the analysis prompt. */
  output: z.string().optional(),
  /** When a test failed: which one, where, and the line that asserted (the code under test is `file`). */
  test: z
    .object({
      name: z.string().optional(),
      file: z.string().optional(),
      line: z.number().int().positive().optional(),
      assertion: z.string().optional(),
    })
    .optional(),
});
export type Failure = z.infer<typeof failureSchema>;

export const verificationSummarySchema = z.object({
  ok: z.boolean(),
  durationMs: z.number().nonnegative(),
  steps: z.array(
    z.object({
      phase: z.string(),
      command: z.string(),
      exitCode: z.number().nullable(),
      durationMs: z.number(),
    }),
  ),
  tests: testCountsSchema.optional(),
});
export type VerificationSummary = z.infer<typeof verificationSummarySchema>;

/** The current files of a project, kept beside the record (they can be large). */
export const projectFilesRecordSchema = z.object({
  files: z.array(projectFileSchema),
  entry: z.string().optional(),
  /** An imported project's log from the system it failed in. */
  errorLog: z.string().optional(),
  /** For a hard-fix candidate: the line range it replaced and the code it put there. */
  patch: codeBlockSchema.optional(),
  /** For a hard-fix candidate: the failure it set out to fix. */
  target: failureSchema.optional(),
  /** For a hard-fix candidate: the requirement lines it added to the manifest. */
  dependencies: z.array(z.string()).optional(),
  /** The failure of the last verification of these files, so hard fix need not run them again. */
  lastFailure: failureSchema.optional(),
  lastVerification: verificationSummarySchema.optional(),
  /**
   * For a failed hard-fix candidate: its files became the base of the next attempt because it got
   * further than the files it patched; otherwise it was reverted.
   */
  kept: z.boolean().optional(),
});
export type ProjectFilesRecord = z.infer<typeof projectFilesRecordSchema>;

/**
 * How a stored record is read back: a path is only a string here. Every write is held to today's path
 * rule (projectFilesRecordSchema); a record written under an older rule must still read (a reviewer can
 * see it), and the stage that carries it into an attempt is refused by the store's write or the
 * sandbox's own check, which park the project with the path and the reason, rather than every read
 * failing and the project staying queued with no word of why.
 */
export const storedFilesRecordSchema = projectFilesRecordSchema.extend({
  files: z.array(z.object({ path: z.string(), content: z.string() })),
});

/**
 * The project as it was when hard fix began: the failure it set out to fix and the files it was found
 * in. A fix that finally works (from hard fix or a reviewer) is saved to the library under this
 * failure, as the change from this block to what stands in its place in the working files.
 */
export const hardFixOriginSchema = z.object({
  /** The `hardFixBase` of the round that recorded it (informational). */
  base: z.number().int().nonnegative(),
  files: z.array(projectFileSchema),
  failure: failureSchema,
});
export type HardFixOrigin = z.infer<typeof hardFixOriginSchema>;
