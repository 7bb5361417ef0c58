import {
  acceptedSchema,
  createProjectBodySchema,
  importProjectBodySchema,
  listProjectsQuerySchema,
  projectIdParamsSchema,
  projectPageSchema,
  projectViewSchema,
} from '@hardfix/contracts';
import { InvalidCursorError } from '@hardfix/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { badRequest, notFound } from '../errors/http-error.js';
import { checkCallbackUrl } from '../lib/check-callback-url.js';
import { importProject } from '../lib/import-project.js';
import { toProjectView } from '../lib/project-view.js';
import { submitProject } from '../lib/submit-project.js';
import { errorResponses } from './error-responses.js';

const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/projects',
    {
      schema: {
        tags: ['projects'],
        summary: 'Request a new program; a retry of the same request returns the same project',
        body: createProjectBodySchema,
        response: { 202: acceptedSchema, ...errorResponses(400, 401, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      checkCallbackUrl(app.config, request.body.callbackUrl);
      return reply.code(202).send(await submitProject(app.projectStore, app.queues, request.body));
    },
  );

  app.post(
    '/projects/import',
    {
      schema: {
        tags: ['projects'],
        summary: 'Import a project that failed elsewhere: delivered if it runs, else handed to hard fix',
        body: importProjectBodySchema,
        response: { 202: acceptedSchema, ...errorResponses(400, 401, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      checkCallbackUrl(app.config, request.body.callbackUrl);
      return reply.code(202).send(await importProject(app.projectStore, app.queues, request.body));
    },
  );

  app.get(
    '/projects/:id',
    {
      schema: {
        tags: ['projects'],
        summary: 'One project: status, stage, attempts, and its events with their webhook delivery state',
        params: projectIdParamsSchema,
        response: { 200: projectViewSchema, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => {
      const project = await app.projectStore.get(request.params.id);
      if (!project) throw notFound(`project ${request.params.id} does not exist`);
      return toProjectView(project, await app.projectEvents.list(project.id));
    },
  );

  app.get(
    '/projects',
    {
      schema: {
        tags: ['projects'],
        summary: 'A page of projects, newest first',
        querystring: listProjectsQuerySchema,
        response: { 200: projectPageSchema, ...errorResponses(400, 503) },
      },
    },
    async (request) => {
      const { status, limit, cursor } = request.query;
      const page = await app.projectStore.list(status, limit, cursor).catch((err: unknown) => {
        throw err instanceof InvalidCursorError ? badRequest(`query.cursor: ${err.message}`) : err;
      });
      return {
        items: page.items.map((p) => toProjectView(p)),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      };
    },
  );
};

export default projectRoutes;
