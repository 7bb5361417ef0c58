/**
 * An error that already knows its answer: the status and the stable `error` code of the JSON body.
 * Handlers throw it; the error handler sends `{ error: code, message }` unchanged.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const conflict = (code: string, message: string) => new HttpError(409, code, message);
export const badRequest = (message: string) => new HttpError(400, 'invalid_request', message);
