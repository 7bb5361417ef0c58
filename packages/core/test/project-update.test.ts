import type { Project } from '@hardfix/contracts';
import { useRedis } from '@hardfix/testkit';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../src/project-store.js';

const redis = useRedis();

/** The fixture's connection, counting the plain GETs that go through it (the store's reads). */
function countingReads(client: Redis): { client: Redis; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(client, {
    get(target, prop) {
      if (prop === 'get') {
        return (...args: Parameters<Redis['get']>) => {
          reads++;
          return target.get(...args);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client: proxy, reads: () => reads };
}

async function setup() {
  const counted = countingReads(redis.current.redis);
  const store = new ProjectStore(counted.client, redis.current.prefix);
  const created = await store.create({
    name: 'known',
    language: 'python',
    status: 'generating',
    stage: 'generation',
  });
  if (!created.created) throw new Error('name taken');
  return { store, project: created.project, reads: counted.reads };
}

const toSmartRetry = (p: Project): Project | undefined =>
  p.stage === 'generation' ? { ...p, stage: 'smart-retry', status: 'smart-retry' } : undefined;

describe('ProjectStore.update from a record in hand', () => {
  it('writes from it without reading the project first', async () => {
    const { store, project, reads } = await setup();
    const next = await store.update(project, toSmartRetry);
    expect(reads()).toBe(0);
    expect(next).toMatchObject({ stage: 'smart-retry', version: 1 });
    expect(await store.mustGet(project.id)).toEqual(next);
    expect((await store.countByStatus())['smart-retry']).toBe(1);
  });

  it('a stale record costs a re-read, never a lost write', async () => {
    const { store, project, reads } = await setup();
    await store.update(project.id, (p) => ({ ...p, prompt: 'written by someone else' }));
    const before = reads();
    const next = await store.update(project, toSmartRetry);
    expect(reads() - before).toBe(1);
    expect(next).toMatchObject({ stage: 'smart-retry', prompt: 'written by someone else', version: 2 });
    expect(await store.mustGet(project.id)).toEqual(next);
  });

  it('"nothing to do" is decided on the current record, not on a stale one', async () => {
    const { store, project } = await setup();
    await store.update(project.id, toSmartRetry);
    // The record in hand says generation, where this change does nothing; the project is in smart-retry.
    const next = await store.update(project, (p) =>
      p.stage === 'smart-retry' ? { ...p, stage: 'hard-fix', status: 'hard-fix' } : undefined,
    );
    expect(next).toMatchObject({ stage: 'hard-fix', version: 2 });
    expect((await store.mustGet(project.id)).stage).toBe('hard-fix');
  });
});
