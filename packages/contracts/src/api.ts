import { z } from 'zod';
import { filePathSchema, languageSchema, projectFilesSchema, projectNameSchema } from './names.js';
import { attemptSchema, projectStatusSchema, stageSchema } from './project.js';

export const errorBodySchema = z.object({ error: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const MAX_PROMPT_CHARS = 20_000;

export const createProjectBodySchema = z.object({
  name: projectNameSchema,
  language: languageSchema,
  prompt: z.string().trim().min(1, 'must not be empty').max(MAX_PROMPT_CHARS),
});
export type CreateProjectBody = z.infer<typeof createProjectBodySchema>;

export const importProjectBodySchema = z.object({
  name: projectNameSchema,
  language: languageSchema,
  files: projectFilesSchema,
  entry: filePathSchema.optional(),
  errorLog: z.string().max(200_000).optional(),
});
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
  usage: z.object({ calls: z.number(), inputTokens: z.number(), outputTokens: z.number() }),
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
