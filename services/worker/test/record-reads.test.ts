import type { ProjectStore } from '@hardfix/core';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';
import { BROKEN_AREA, FIXED_AREA, FIXED_AREA_BLOCK } from './programs.js';

/** Counts the worker store's reads of each project's record (each one a GET, a JSON parse and a zod parse). */
function countRecordReads(store: ProjectStore): Map<string, number> {
  const reads = new Map<string, number>();
  const get = store.get.bind(store);
  store.get = (id: string) => {
    reads.set(id, (reads.get(id) ?? 0) + 1);
    return get(id);
  };
  return reads;
}

/**
 * Each step reads the record once and passes it on; a write that holds the record it last wrote costs
 * no read (ProjectStore.update with a record). The one re-read left is after the model call: it
 * recorded the usage, so the record the attempt holds is a version behind. (Before: 5 and 12.)
 */
describe('a passing attempt reads the project record once per step', () => {
  const startHarness = harnessPerTest();

  it('generation: one read for the job, one after the model call, none for the other writes', async () => {
    // No sweep during the test: it reads every active project and would blur the count.
    const h = await startHarness({ ORPHAN_SWEEP_MS: '600000' });
    const reads = countRecordReads(h.worker.deps.store);
    h.fake.enqueue('write_files', { tool: { files: [FIXED_AREA] } });
    const { body } = await h.post('/projects', { name: 'reads-gen', language: 'python', prompt: 'area' });
    const project = await h.waitForStatus(body.id as string, ['delivered', 'manual-review']);
    expect(project.status).toBe('delivered');
    expect(project.version).toBe(4); // started, usage, attempt, delivered: four writes
    expect(reads.get(project.id)).toBe(2);
  });

  it('hard fix after a failed import: the job reads once, again where the round starts, and after the model call', async () => {
    const h = await startHarness({ ORPHAN_SWEEP_MS: '600000' });
    const reads = countRecordReads(h.worker.deps.store);
    h.fake.enqueue('replace_block', { tool: { code: FIXED_AREA_BLOCK } });
    const id = await h.importProject('reads-fix', 'python', [BROKEN_AREA]);
    const project = await h.waitForStatus(id, ['delivered', 'manual-review']);
    expect(project.status).toBe('delivered');
    expect(project.attempts.map((a) => [a.stage, a.n, a.outcome])).toEqual([
      ['import', 1, 'failed'],
      ['hard-fix', 1, 'passed'],
    ]);
    expect(reads.get(id)).toBe(3);
  });
});
