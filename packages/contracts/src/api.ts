import { z } from 'zod';
import { callbackUrlSchema, projectEventViewSchema } from './events.js';
import { filePathSchema, languageSchema, projectFilesSchema, projectNameSchema } from './names.js';
import { attemptErrorSchema, attemptSchema, projectStatusSchema, stageSchema } from './project.js';

export const errorBodySchema = z.object({ error: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const MAX_PROMPT_CHARS = 20_000;

export const createProjectBodySchema = z.object({
  name: projectNameSchema,
  language: languageSchema,
  prompt: z.string().trim().min(1, 'must not be empty').max(MAX_PROMPT_CHARS),
  callbackUrl: callbackUrlSchema.optional(),
});
export type CreateProjectBody = z.infer<typeof createProjectBodySchema>;

/** An entry that names no submitted file would only fail later, in the sandbox, with a vaguer error. */
const entryIsAFile = (body: { files: { path: string }[]; entry?: string | undefined }) =>
  body.entry === undefined || body.files.some((f) => f.path === body.entry);
const ENTRY_NOT_A_FILE = { message: 'must be the path of one of the files', path: ['entry'] };

export const importProjectBodySchema = z
  .object({
    name: projectNameSchema,
    language: languageSchema,
    files: projectFilesSchema,
    entry: filePathSchema.optional(),
    errorLog: z.string().max(200_000).optional(),
    callbackUrl: callbackUrlSchema.optional(),
  })
  .refine(entryIsAFile, ENTRY_NOT_A_FILE);
export type ImportProjectBody = z.infer<typeof importProjectBodySchema>;

export const acceptedSchema = z.object({ id: z.string(), name: z.string(), status: projectStatusSchema });

/** The public view of a project: the record minus internals such as the prompt and files. */
export const projectViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  language: languageSchema,
  status: projectStatusSchema,
  stage: stageSchema,
  attempts: z.array(attemptSchema),
  delivery: z.object({ path: z.string() }).optional(),
  parked: z.object({ reason: z.string(), at: z.string() }).optional(),
  /** The manifest's declared packages and the set installed for them (name, version). */
  dependencies: z
    .object({
      declared: z.array(z.string()),
      installed: z.array(z.object({ name: z.string(), version: z.string() })),
    })
    .optional(),
  /** The AI failure analysis, once the normal attempts have failed. */
  analysis: z.object({ confidence: z.number(), diagnosis: z.string(), plan: z.string() }).optional(),
  abandonReason: z.string().optional(),
  /**
   * GET /projects/:id only: what the project's caller was told (or will be), one entry per event,
   * oldest first, with its webhook's delivery state when the project has a callbackUrl.
   */
  events: z.array(projectEventViewSchema).optional(),
  /** Why the project is in manual review, when it is not used-up attempts (e.g. "budget"). */
  reviewReason: z.string().optional(),
  /**
   * The spec the project is verified against: its test files, or "none" (verified on its run alone).
   * Absent until the first candidate is written. Per attempt, `attempts[].tests` has the counts.
   */
  tests: z.union([z.literal('none'), z.object({ files: z.array(z.string()) })]).optional(),
  usage: z.object({
    calls: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    cacheWriteTokens: z.number(),
    cacheReadTokens: z.number(),
    /** At the price table's rates for LLM_MODEL (see README, "Budgets"). */
    estimatedCostUsd: z.number(),
  }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProjectView = z.infer<typeof projectViewSchema>;

export const projectIdParamsSchema = z.object({ id: z.string().min(1).max(100) });

export const listProjectsQuerySchema = z.object({
  status: projectStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});

export const projectPageSchema = z.object({
  items: z.array(projectViewSchema),
  nextCursor: z.string().optional(),
});

/** GET /review pages like GET /projects; the status is implied (manual-review). */
export const reviewQuerySchema = listProjectsQuerySchema.omit({ status: true });

export const reviewItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  language: languageSchema,
  /** How many attempts the project has had, in every stage. */
  attempts: z.number().int().nonnegative(),
  /** The last error the pipeline (not a reviewer) failed to fix; null when none was recorded. */
  lastError: attemptErrorSchema.nullable(),
  /** Why it is here when it is not used-up attempts: "budget" (PROJECT_TOKEN_BUDGET / _COST_BUDGET_USD). */
  reason: z.string().optional(),
  /** When it has been waiting since: its last attempt (its last change when it has none). */
  since: z.string(),
});
export type ReviewItem = z.infer<typeof reviewItemSchema>;

export const reviewPageSchema = z.object({
  items: z.array(reviewItemSchema),
  nextCursor: z.string().optional(),
});

export const resolveReviewBodySchema = z
  .object({ files: projectFilesSchema, entry: filePathSchema.optional() })
  .refine(entryIsAFile, ENTRY_NOT_A_FILE);
export type ResolveReviewBody = z.infer<typeof resolveReviewBodySchema>;

export const abandonReviewBodySchema = z.object({
  reason: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
});

export const resolvedSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.literal('delivered'),
  delivery: z.object({ path: z.string() }),
});

export const abandonedSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.literal('abandoned'),
});

/** 422 from POST /review/:id/resolve: the submitted files ran and failed. */
export const verificationFailedBodySchema = errorBodySchema.extend({
  details: z
    .object({
      type: z.string(),
      message: z.string(),
      file: z.string().optional(),
      line: z.number().int().optional(),
    })
    .optional(),
});
