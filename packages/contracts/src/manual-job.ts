import { z } from 'zod';
import { filePathSchema, projectFilesSchema } from './names.js';
import { type AttemptError, type Project, projectStatusSchema, ranAndFailed } from './project.js';

/**
 * A reviewer's fix (POST /review/:id/resolve) is verified by a worker, never by the API: the API puts
 * the submitted files on this queue and waits for the job's outcome. Its own queue, not a stage queue:
 * a person is waiting for the answer, so a job is never delayed or retried the way stage jobs are.
 */
export const MANUAL_QUEUE = 'manual';

/** Manual attempt `n` of a project: the files a reviewer submitted, verified like any other candidate. */
export const manualJobSchema = z.object({
  projectId: z.string(),
  n: z.number().int().positive(),
  files: projectFilesSchema,
  entry: filePathSchema.optional(),
});
export type ManualJob = z.infer<typeof manualJobSchema>;

/** One job per project and manual attempt, so a repeated request joins the verification already running. */
export function manualJobId(projectId: string, n: number): string {
  return `${MANUAL_QUEUE}-${projectId}-${n}`;
}

const errorSchema = z.object({
  type: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
});

/** What the worker answers; the API turns it into the HTTP answer. */
export const manualOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('delivered'), path: z.string() }),
  /** The files ran and failed (422 verification_failed). */
  z.object({ outcome: z.literal('failed'), error: errorSchema }),
  /** The files add, change or delete a test file; refused unrun (422 spec_changed). */
  z.object({ outcome: z.literal('spec-changed'), error: errorSchema }),
  /** The sandbox could not run them at all: no attempt is recorded (503). */
  z.object({ outcome: z.literal('sandbox-fault'), message: z.string() }),
  /** The project was no longer in manual review when the worker took the job (409). */
  z.object({ outcome: z.literal('skipped'), status: projectStatusSchema }),
]);
export type ManualOutcome = z.infer<typeof manualOutcomeSchema>;

/**
 * The error the pipeline gave up on. A reviewer's own failed submissions are left out: what needs
 * fixing is still the pipeline's last error, and that is also the key the manual fix is saved under.
 * So are candidates refused unrun (a repeated candidate, say): the program's error is the one before.
 */
export function lastPipelineError(p: Project): AttemptError | undefined {
  return p.attempts.findLast((a) => a.stage !== 'manual' && ranAndFailed(a.error))?.error;
}
