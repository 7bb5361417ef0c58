import { z } from 'zod';
import { projectFileSchema } from './names.js';
import { attemptSchema } from './project.js';

/**
 * A failed verification as a reviewer reads it: the error, where, the failing test and the tail of the
 * output. Built field by field from the stored failure (see services/api's project-detail.ts).
 */
export const failureViewSchema = z.object({
  type: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  test: z
    .object({
      name: z.string().optional(),
      file: z.string().optional(),
      line: z.number().int().positive().optional(),
      assertion: z.string().optional(),
    })
    .optional(),
  output: z.string().optional(),
});
export type FailureView = z.infer<typeof failureViewSchema>;

/** GET /projects/:id/files: what a reviewer edits, and what the project was asked to be. */
export const projectSourceSchema = z.object({
  /** The request; absent for an imported project. */
  prompt: z.string().optional(),
  /** An imported project's log from the system it failed in. */
  errorLog: z.string().optional(),
  /** The current files: the last candidate's (failed ones included), or the delivered ones. */
  files: z.array(projectFileSchema),
  entry: z.string().optional(),
  /** How the current files failed their last verification; absent once they work. */
  lastFailure: failureViewSchema.optional(),
});
export type ProjectSource = z.infer<typeof projectSourceSchema>;

/** One file an attempt added, changed or deleted, against the files of the attempt before it. */
export const fileChangeSchema = z.object({
  path: z.string(),
  change: z.enum(['added', 'modified', 'deleted']),
  /**
   * Unified-diff hunks (`@@ -a,b +c,d @@`, then lines starting with ` `, `-` or `+`); absent for the
   * first files of a project (nothing to compare with) and when a file is too large to diff.
   */
  diff: z.string().optional(),
});
export type FileChange = z.infer<typeof fileChangeSchema>;

export const attemptDetailSchema = attemptSchema.extend({
  /** The full failure of this attempt's verification, when it ran and its record is still kept. */
  failure: failureViewSchema.optional(),
  /**
   * What the attempt changed. `first`: the project's first files (no earlier attempt to compare with);
   * `unavailable`: no files were kept for it (refused before a candidate existed, or expired after 30 days).
   */
  changes: z.union([
    z.object({ kind: z.literal('diff'), files: z.array(fileChangeSchema) }),
    z.object({ kind: z.literal('first'), files: z.array(fileChangeSchema) }),
    z.object({ kind: z.literal('unavailable') }),
  ]),
});
export type AttemptDetail = z.infer<typeof attemptDetailSchema>;

/** GET /projects/:id/attempts: every attempt, oldest first, each with what it changed. */
export const attemptDetailsSchema = z.object({ items: z.array(attemptDetailSchema) });
