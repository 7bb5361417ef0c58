import { z } from 'zod';
import { projectStatusSchema } from './project.js';

/** What happened to a project that its caller wants to hear about (README, "Webhooks"). */
export const EVENT_TYPES = [
  'project.delivered',
  'project.manual_review',
  'project.abandoned',
  'project.parked',
] as const;
export const eventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof eventTypeSchema>;

/**
 * The body of a webhook and the data of a `GET /events` message. `id` is one per transition and the
 * same on every resend, so a receiver drops repeats by it.
 */
export const projectEventSchema = z.object({
  id: z.string(),
  type: eventTypeSchema,
  projectId: z.string(),
  name: z.string(),
  status: projectStatusSchema,
  at: z.string(),
});
export type ProjectEvent = z.infer<typeof projectEventSchema>;

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;

/** Where the webhook of one event stands; `failed` only once its retries (about a day) are used up. */
export const eventDeliverySchema = z.object({
  state: z.enum(DELIVERY_STATES),
  /** Requests made so far. */
  attempts: z.number().int().nonnegative(),
  deliveredAt: z.string().optional(),
  /** Why the last request did not count (status code, timeout, connection error). */
  lastError: z.string().optional(),
  lastAttemptAt: z.string().optional(),
});
export type EventDelivery = z.infer<typeof eventDeliverySchema>;

/** An event as GET /projects/:id lists it: the event, and its webhook's state when it has a callback. */
export const projectEventViewSchema = projectEventSchema.extend({ delivery: eventDeliverySchema.optional() });
export type ProjectEventView = z.infer<typeof projectEventViewSchema>;

/** Optional on POST /projects and /projects/import: where this project's events are POSTed. */
export const callbackUrlSchema = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((v) => URL.canParse(v), 'must be an absolute URL')
  .refine((v) => !URL.canParse(v) || /^https?:$/.test(new URL(v).protocol), 'must be an http or https URL');

/** A job of the `webhooks` queue: the exact bytes to sign and send, so every retry sends the same body. */
export const webhookJobSchema = z.object({
  eventId: z.string(),
  projectId: z.string(),
  url: z.string(),
  body: z.string(),
});
export type WebhookJob = z.infer<typeof webhookJobSchema>;

export const WEBHOOK_QUEUE = 'webhooks';
