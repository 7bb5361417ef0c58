import type { ProjectEvent } from '@hardfix/contracts';
import { useRedis } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import { ProjectEvents } from '../src/events/project-events.js';
import { keys } from '../src/keys.js';
import { ProjectStore } from '../src/project-store.js';

const redis = useRedis();

async function outbox(): Promise<{ event: ProjectEvent; callbackUrl?: string }[]> {
  const { redis: client, prefix } = redis.current;
  const entries = (await client.xrange(keys(prefix).events, '-', '+')) as [string, string[]][];
  return entries.map(([, fields]) => {
    const map = Object.fromEntries(fields.flatMap((f, i) => (i % 2 ? [] : [[f, fields[i + 1]]])));
    return {
      event: JSON.parse(String(map.event)),
      ...(map.callbackUrl ? { callbackUrl: map.callbackUrl } : {}),
    };
  });
}

async function newProject(store: ProjectStore, callbackUrl?: string) {
  const created = await store.create({
    name: 'outboxed',
    language: 'python',
    status: 'queued',
    stage: 'generation',
    ...(callbackUrl ? { callbackUrl } : {}),
  });
  if (!created.created) throw new Error('name taken');
  return created.project.id;
}

describe('the project store writes each event with its transition', () => {
  it('appends one event per transition into delivered / manual-review / abandoned, none for others', async () => {
    const store = new ProjectStore(redis.current.redis, redis.current.prefix);
    const id = await newProject(store, 'https://hooks.example.com/x');
    await store.update(id, (p) => ({ ...p, status: 'generating' }));
    await store.update(id, (p) => ({ ...p, status: 'hard-fix', stage: 'hard-fix' }));
    const review = await store.update(id, (p) => ({ ...p, status: 'manual-review', stage: 'manual' }));
    // A write that leaves the status as it is is no new transition.
    await store.update(id, (p) => ({ ...p, abandonReason: undefined, usage: { ...p.usage, calls: 1 } }));
    const abandoned = await store.update(id, (p) => ({ ...p, status: 'abandoned', abandonReason: 'no' }));

    const entries = await outbox();
    expect(entries.map((e) => e.event.type)).toEqual(['project.manual_review', 'project.abandoned']);
    expect(entries[0]).toEqual({
      event: {
        id: `evt-${id}-${review.version}`,
        type: 'project.manual_review',
        projectId: id,
        name: 'outboxed',
        status: 'manual-review',
        at: review.updatedAt,
      },
      callbackUrl: 'https://hooks.example.com/x',
    });
    expect(entries[1]?.event.id).toBe(`evt-${id}-${abandoned.version}`);
    const listed = await new ProjectEvents(redis.current.redis, redis.current.prefix).list(id);
    expect(listed).toEqual(entries.map((e) => ({ ...e.event, delivery: { state: 'pending', attempts: 0 } })));
  });

  it('appends nothing for a write that lost the compare-and-set; the winner’s event appears once', async () => {
    const store = new ProjectStore(redis.current.redis, redis.current.prefix);
    const id = await newProject(store);
    // Two writers race to deliver: one wins, the other re-reads, sees it delivered and leaves it.
    await Promise.all(
      [1, 2].map(() =>
        store.update(id, (p) => (p.status === 'delivered' ? undefined : { ...p, status: 'delivered' })),
      ),
    );
    const entries = await outbox();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.callbackUrl).toBeUndefined();
    const [listed] = await new ProjectEvents(redis.current.redis, redis.current.prefix).list(id);
    expect(listed?.delivery).toBeUndefined();
  });

  it('parks make news once per standstill: parked again without progress is no new event', async () => {
    const store = new ProjectStore(redis.current.redis, redis.current.prefix);
    const id = await newProject(store);
    const park = (reason: string) =>
      store.update(id, (p) => ({
        ...p,
        status: 'generating',
        parked: { reason, at: new Date().toISOString() },
      }));
    const resume = () => store.update(id, (p) => ({ ...p, parked: undefined }));

    await park('LLM unavailable (timeout)');
    await park('LLM unavailable (timeout), again'); // still parked: nothing new
    await resume();
    await park('LLM unavailable (connection)'); // the job's next try parks again, no attempt made
    expect((await outbox()).map((e) => e.event.type)).toEqual(['project.parked']);

    await resume();
    await store.update(id, (p) => ({
      ...p,
      attempts: [
        ...p.attempts,
        { n: 1, stage: 'generation', outcome: 'failed', at: new Date().toISOString() },
      ],
    }));
    await park('LLM not configured: set ANTHROPIC_API_KEY'); // after progress: news again
    const entries = await outbox();
    expect(entries.map((e) => [e.event.type, e.event.status])).toEqual([
      ['project.parked', 'generating'],
      ['project.parked', 'generating'],
    ]);
    expect(new Set(entries.map((e) => e.event.id)).size).toBe(2);
  });

  it('a project created straight into manual review (the migration) has its event too', async () => {
    const store = new ProjectStore(redis.current.redis, redis.current.prefix);
    const created = await store.create({
      name: 'migrated',
      language: 'python',
      status: 'manual-review',
      stage: 'manual',
    });
    if (!created.created) throw new Error('name taken');
    expect((await outbox()).map((e) => e.event)).toEqual([
      expect.objectContaining({ id: `evt-${created.project.id}-0`, type: 'project.manual_review' }),
    ]);
  });
});
