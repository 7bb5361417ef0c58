import type { ProjectStatus } from '@hardfix/contracts';

/**
 * An error that already knows its answer: the status and the stable `error` code of the JSON body.
 * Handlers throw it; the error handler sends `{ error: code, message, details? }` unchanged.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Machine-readable specifics (e.g. where a submitted fix failed), sent beside the message. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
export const badRequest = (message: string) => new HttpError(400, 'invalid_request', message);

/** A review action on a project that is not (or no longer) waiting for review. */
export const wrongState = (id: string, status: ProjectStatus, action: string) =>
  conflict('wrong_state', `project ${id} is ${status}; only a project in manual-review can be ${action}`);
