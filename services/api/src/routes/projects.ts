import {
  acceptedSchema,
  attemptDetailsSchema,
  createProjectBodySchema,
  importProjectBodySchema,
  type Language,
  listProjectsQuerySchema,
  type ProjectFile,
  projectIdParamsSchema,
  projectPageSchema,
  projectSourceSchema,
  projectViewSchema,
} from '@hardfix/contracts';
import { InvalidCursorError, type ProjectStore, type StageQueues } from '@hardfix/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { badRequest, notFound } from '../errors/http-error.js';
import { checkCallbackUrl } from '../lib/check-callback-url.js';
import { checkManifest } from '../lib/check-manifest.js';
import { importProject } from '../lib/import-project.js';
import { attemptDetails, projectSource } from '../lib/project-detail.js';
import { toProjectView } from '../lib/project-view.js';
import { type Accepted, submitProject } from '../lib/submit-project.js';
import { errorResponses } from './error-responses.js';

const projectRoutes: FastifyPluginAsyncZod = async (app) => {
  /** A submission: answered 202 with the project once it is stored and its first job queued. */
  function submissionRoute<S extends z.ZodType<{ callbackUrl?: string | undefined }>>(
    url: string,
    summary: string,
    body: S,
    submit: (store: ProjectStore, queues: StageQueues, body: z.output<S>) => Promise<Accepted>,
  ) {
    app.post(
      url,
      {
        schema: {
          tags: ['projects'],
          summary,
          body,
          response: { 202: acceptedSchema, ...errorResponses(400, 401, 409, 413, 415, 503) },
        },
      },
      async (request, reply) => {
        // Validated against `body` already; the type provider cannot follow a generic schema.
        const submission = request.body as z.output<S>;
        await checkCallbackUrl(app.config, submission.callbackUrl);
        const { language, files } = submission as { language?: Language; files?: ProjectFile[] };
        if (language && files) checkManifest(language, files);
        return reply.code(202).send(await submit(app.projectStore, app.queues, submission));
      },
    );
  }

  submissionRoute(
    '/projects',
    'Request a new program; a retry of the same request returns the same project',
    createProjectBodySchema,
    submitProject,
  );
  submissionRoute(
    '/projects/import',
    'Import a project that failed elsewhere: delivered if it runs, else handed to hard fix',
    importProjectBodySchema,
    importProject,
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

  async function mustGet(id: string) {
    const project = await app.projectStore.get(id);
    if (!project) throw notFound(`project ${id} does not exist`);
    return project;
  }

  app.get(
    '/projects/:id/files',
    {
      schema: {
        tags: ['projects'],
        summary:
          "The request, the current files (what a reviewer edits) and how they last failed; the review console's editor",
        params: projectIdParamsSchema,
        response: { 200: projectSourceSchema, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => projectSource(app.projectStore, await mustGet(request.params.id)),
  );

  app.get(
    '/projects/:id/attempts',
    {
      schema: {
        tags: ['projects'],
        summary:
          'Every attempt, oldest first, with its full failure (failing test, output) and what it changed as a diff against the files before it',
        params: projectIdParamsSchema,
        response: { 200: attemptDetailsSchema, ...errorResponses(400, 404, 503) },
      },
    },
    async (request) => ({ items: await attemptDetails(app.projectStore, await mustGet(request.params.id)) }),
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
