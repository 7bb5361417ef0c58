import { errorSignature } from '@hardfix/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

const GREETER = {
  path: 'main.py',
  content: 'def greet(name):\n    return {"greeting": "hi " + name}\n\nprint(json.dumps(greet("a")))\n',
};
const GREETER_FIX =
  'import json\n\ndef greet(name):\n    return {"greeting": "hi " + name}\n\nprint(json.dumps(greet("a")))';
/** The same mistake in a program whose other lines, names and file path all differ. */
const SUMMARY = {
  path: 'tools/summary.py',
  content:
    'import os\n\n\ndef summary(items):\n    total = sum(items)\n    return {"total": total, "count": len(items), "here": bool(os.getcwd())}\n\n\nprint(json.dumps(summary([1, 2, 3])))\n',
};
const JSON_MISSING = errorSignature({
  language: 'python',
  type: 'NameError',
  message: "name 'json' is not defined",
});

describe('the proven-fix library', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('carries a fix to a different program with the same mistake: repaired with zero LLM calls, and verified', async () => {
    h = await startHarness();
    h.fake.enqueue('replace_block', { tool: { code: GREETER_FIX } });
    const first = await h.importProject('greeter', 'python', [GREETER]);
    expect((await h.waitForStatus(first, ['delivered', 'manual-review'])).status).toBe('delivered');
    const calls = h.fake.requests.length;
    expect(calls).toBe(1);

    const second = await h.importProject('summary', 'python', [SUMMARY], 'tools/summary.py');
    const p2 = await h.waitForStatus(second, ['delivered', 'manual-review']);
    expect(p2.status).toBe('delivered');
    expect(h.fake.requests.length).toBe(calls);
    expect(p2.usage.calls).toBe(0);
    expect(p2.attempts).toMatchObject([
      { stage: 'import', n: 1, outcome: 'passed', fixSource: 'library', error: { type: 'NameError' } },
    ]);
    // The verified result: the import went into the other program, whose own lines are intact.
    const files = await h.store.getFiles(second);
    const repaired = files.files.find((f) => f.path === 'tools/summary.py')?.content ?? '';
    expect(repaired).toContain('import json');
    expect(repaired).toContain('def summary(items):');
    expect(files.lastVerification?.ok).toBe(true);
    const fix = await h.get(`/fixes/${JSON_MISSING}`);
    expect(fix.body).toMatchObject({ success_count: 2, used_by_projects: ['greeter', 'summary'] });
  });

  it('a poisoned fix is counted against, demoted, and projects are still repaired by the LLM path', async () => {
    h = await startHarness({ RETRY_INTERVAL_MS: '10' });
    const block = GREETER.content.trimEnd();
    const imported = await h.post('/fixes/import', [
      {
        error_signature: JSON_MISSING,
        error_type: 'NameError',
        language: 'py',
        fix_description: 'looks proven, never works here',
        working_code: `import jsn\n\n${block}`,
        original_code: block,
        success_count: 50,
        total_attempts: 50,
        used_by_projects: [],
        first_success: '2025-01-12T15:30:00',
        last_used: '2025-01-12T15:30:00',
      },
    ]);
    expect(imported.status).toBe(200);
    h.fake.enqueue('replace_block', { tool: { code: GREETER_FIX } });

    for (const name of ['one', 'two', 'three', 'four']) {
      const id = await h.importProject(name, 'python', [GREETER]);
      const project = await h.waitForStatus(id, ['delivered', 'manual-review']);
      expect(project.status).toBe('delivered');
    }
    // Only the first project needed the model; the others got its fix after the poisoned one failed.
    expect(h.fake.callsFor('replace_block')).toHaveLength(1);

    const poisoned = await h.get(`/fixes/${JSON_MISSING}`);
    expect(poisoned.body).toMatchObject({
      failure_count: 4,
      demoted: true,
      fix_description: 'looks proven, never works here',
    });
    const listed = await h.get('/fixes?language=python');
    const items = listed.body.items as { fix_id: string; demoted: boolean; success_count: number }[];
    expect(items).toHaveLength(2);
    expect(items.find((f) => f.fix_id === JSON_MISSING)?.demoted).toBe(true);
    expect(items.find((f) => f.fix_id !== JSON_MISSING)).toMatchObject({ demoted: false, success_count: 4 });

    // Demoted: no longer offered, so a fifth project does not even try it.
    const fifth = await h.importProject('five', 'python', [GREETER]);
    const p5 = await h.waitForStatus(fifth, ['delivered', 'manual-review']);
    expect(p5.status).toBe('delivered');
    expect(p5.triedFixes).not.toContain(JSON_MISSING);
  });
});
