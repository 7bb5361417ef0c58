import type { Env, FixLibrary, ManualQueue, ProjectEvents, ProjectStore, StageQueues } from '@hardfix/core';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';

declare module 'fastify' {
  interface FastifyInstance {
    config: Env;
    redis: Redis;
    projectStore: ProjectStore;
    projectEvents: ProjectEvents;
    queues: StageQueues;
    fixLibrary: FixLibrary;
    manualQueue: ManualQueue;
  }
}

export interface ServicesOptions {
  env: Env;
  redis: Redis;
  store: ProjectStore;
  events: ProjectEvents;
  queues: StageQueues;
  library: FixLibrary;
  manualQueue: ManualQueue;
}

/**
 * Makes the injected dependencies reachable from routes. They are created and closed by the caller
 * (server.ts or a test), not here, so one Redis connection can outlive several app instances.
 */
export default fp<ServicesOptions>(
  async (app, opts) => {
    app.decorate('config', opts.env);
    app.decorate('redis', opts.redis);
    app.decorate('projectStore', opts.store);
    app.decorate('projectEvents', opts.events);
    app.decorate('queues', opts.queues);
    app.decorate('fixLibrary', opts.library);
    app.decorate('manualQueue', opts.manualQueue);
  },
  { name: 'services' },
);
