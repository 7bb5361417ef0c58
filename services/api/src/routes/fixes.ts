import {
  fixesDeletedSchema,
  fixesExportSchema,
  fixesImportBodySchema,
  fixesImportResultSchema,
  fixPageSchema,
  fixSignatureParamsSchema,
  fixViewSchema,
  invalidFixRecordBodySchema,
  listFixesQuerySchema,
} from '@hardfix/contracts';
import {
  exportFixes,
  InvalidCursorError,
  InvalidFixRecordError,
  importFixes,
  parseFixRecords,
} from '@hardfix/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { badRequest, HttpError, notFound } from '../errors/http-error.js';
import { errorResponses } from './error-responses.js';

/** The proven-fix library: browse, inspect, delete a bad fix, and move it in the seed's JSON format. */
const fixRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/fixes',
    {
      schema: {
        tags: ['fixes'],
        summary: 'A page of proven fixes, newest first, by language and/or error type; demoted ones included',
        querystring: listFixesQuerySchema,
        response: { 200: fixPageSchema, ...errorResponses(400, 503) },
      },
    },
    async (request) => {
      const { language, errorType, limit, cursor } = request.query;
      return app.fixLibrary.list({ language, errorType }, limit, cursor).catch((err: unknown) => {
        throw err instanceof InvalidCursorError ? badRequest(`query.cursor: ${err.message}`) : err;
      });
    },
  );

  app.get(
    '/fixes/export',
    {
      schema: {
        tags: ['fixes'],
        summary:
          'The whole library in the legacy hard_fixes_database.json format (plus this system’s fields)',
        response: { 200: fixesExportSchema, ...errorResponses(503) },
      },
    },
    async () => exportFixes(app.fixLibrary),
  );

  app.post(
    '/fixes/import',
    {
      schema: {
        tags: ['fixes'],
        summary:
          'Import hard_fixes_database.json records: all validated first (none imported if one is bad), known fixes merged',
        body: fixesImportBodySchema,
        response: {
          200: fixesImportResultSchema,
          400: invalidFixRecordBodySchema,
          ...errorResponses(401, 413, 415, 503),
        },
      },
    },
    async (request) => {
      let records: ReturnType<typeof parseFixRecords>;
      try {
        records = parseFixRecords(request.body);
      } catch (err) {
        if (!(err instanceof InvalidFixRecordError)) throw err;
        const where = `body[${err.index}]${err.field ? `.${err.field}` : ''}`;
        throw new HttpError(400, 'invalid_request', `${where}: ${err.reason}; nothing was imported`, {
          index: err.index,
          field: err.field,
        });
      }
      return importFixes(app.fixLibrary, records);
    },
  );

  app.get(
    '/fixes/:signature',
    {
      schema: {
        tags: ['fixes'],
        summary: 'One proven fix, by signature (its first fix) or by a candidate’s fix id',
        params: fixSignatureParamsSchema,
        response: { 200: fixViewSchema, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const fix = await app.fixLibrary.get(request.params.signature);
      if (!fix) throw notFound(`no proven fix ${request.params.signature}`);
      return fix;
    },
  );

  app.delete(
    '/fixes/:signature',
    {
      schema: {
        tags: ['fixes'],
        summary:
          'Delete every fix of a signature (or one candidate by fix id), with its index entries and counts',
        params: fixSignatureParamsSchema,
        response: { 200: fixesDeletedSchema, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (request) => {
      const deleted = await app.fixLibrary.delete(request.params.signature);
      if (deleted === 0) throw notFound(`no proven fix ${request.params.signature}`);
      return { deleted };
    },
  );
};

export default fixRoutes;
