import type { FastifyError } from 'fastify';

/**
 * "body.name: must match ^[a-z0-9]..." — the request part and the field path first, so a client
 * can tell which field to fix without reading the schema.
 */
export function describeValidation(err: FastifyError): string {
  // Named as a client sees the request: `?limit=0` is in the query, whatever Fastify calls it.
  const context = err.validationContext ?? 'request';
  const part = context === 'querystring' ? 'query' : context;
  return (err.validation ?? [])
    .map((issue) => {
      const path = issue.instancePath.split('/').filter(Boolean).join('.');
      const message = (issue.message ?? 'is invalid').replace(
        /^Invalid input: expected (\w+), received undefined$/,
        'is required ($1)',
      );
      return `${path ? `${part}.${path}` : part}: ${message}`;
    })
    .join('; ');
}
