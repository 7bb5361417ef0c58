import { errorSignature } from '@hardfix/core';
import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';

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
  const startHarness = harnessPerTest();

  it('carries a fix to a different program with the same mistake: repaired with zero LLM calls, and verified', async () => {
    const h = await startHarness();
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

  it('learns the edit, not the program: a member rename carried to a program with different names, structure, file and line', async () => {
    const h = await startHarness();
    const first = {
      path: 'index.js',
      content:
        "const words = ['apple', 'pear'];\nif (!words.contains('pear')) process.exit(1);\nconsole.log('ok');\n",
    };
    h.fake.enqueue('replace_block', {
      tool: {
        code: "const words = ['apple', 'pear'];\nif (!words.includes('pear')) process.exit(1);\nconsole.log('ok');",
      },
    });
    const a = await h.importProject('fruit', 'javascript', [first]);
    expect((await h.waitForStatus(a, ['delivered', 'manual-review'])).status).toBe('delivered');
    expect(h.fake.requests).toHaveLength(1);
    const signature = errorSignature({
      language: 'javascript',
      type: 'TypeError',
      message: 'words.contains is not a function',
    });
    const learnt = await h.get(`/fixes/${signature}`);
    expect(learnt.body).toMatchObject({
      pattern: {
        anchor: 'contains',
        edits: [{ kind: 'rewrite', before: ['.', 'contains'], after: ['.includes'] }],
      },
      provenance: 'local',
    });

    // A class, a method, another receiver (`this.tags`), another file in a folder, another line.
    const tags = {
      path: 'src/tags.js',
      content: [
        "'use strict';",
        '',
        '/** A set of labels. */',
        'class TagSet {',
        '  constructor(tags) {',
        '    this.tags = tags;',
        '  }',
        '',
        '  has(tag) {',
        '    return this.tags.contains(tag);',
        '  }',
        '}',
        '',
        "const set = new TagSet(['x', 'y']);",
        "if (!set.has('y') || set.has('z')) throw new Error('wrong answer');",
        "console.log('tags ok');",
        '',
      ].join('\n'),
    };
    const b = await h.importProject('labels', 'javascript', [tags], 'src/tags.js');
    const p2 = await h.waitForStatus(b, ['delivered', 'manual-review']);
    expect(p2.status).toBe('delivered');
    expect(h.fake.requests).toHaveLength(1);
    expect(p2.usage.calls).toBe(0);
    expect(p2.attempts).toMatchObject([{ stage: 'import', n: 1, outcome: 'passed', fixSource: 'library' }]);
    const files = await h.store.getFiles(b);
    expect(files.files[0]?.content).toBe(
      tags.content.replace('this.tags.contains(tag)', 'this.tags.includes(tag)'),
    );
    expect(files.lastVerification?.ok).toBe(true);
    expect((await h.get(`/fixes/${signature}`)).body).toMatchObject({ success_count: 2, failure_count: 0 });
  });

  it('a pattern that does not apply falls back to the LLM without an error', async () => {
    const h = await startHarness();
    h.fake.enqueue('replace_block', {
      tool: { code: 'counts = {"a": 1}\nif "a" in counts:\n    print("yes")' },
    });
    const a = await h.importProject('has-key', 'python', [
      { path: 'main.py', content: 'counts = {"a": 1}\nif counts.has_key("a"):\n    print("yes")\n' },
    ]);
    expect((await h.waitForStatus(a, ['delivered', 'manual-review'])).status).toBe('delivered');
    const signature = errorSignature({
      language: 'python',
      type: 'AttributeError',
      message: "'dict' object has no attribute 'has_key'",
    });
    expect((await h.get(`/fixes/${signature}`)).body).toMatchObject({
      pattern: {
        edits: [{ kind: 'rewrite', before: [0, '.', 'has_key', '(', 1, ')'], after: [1, ' in ', 0] }],
      },
    });

    // `*keys` is not one token: the learnt rewrite finds no place here, and neither does the block patch.
    h.fake.enqueue('replace_block', {
      tool: {
        code: 'def lookup(table, *keys):\n    return all(k in table for k in keys)\n\nprint(lookup({"k": 1}, "k"))',
      },
    });
    const b = await h.importProject('lookup', 'python', [
      {
        path: 'main.py',
        content:
          'def lookup(table, *keys):\n    return table.has_key(*keys)\n\nprint(lookup({"k": 1}, "k"))\n',
      },
    ]);
    const p2 = await h.waitForStatus(b, ['delivered', 'manual-review']);
    expect(p2.status).toBe('delivered');
    expect(p2.usage.calls).toBe(1);
    expect(p2.triedFixes ?? []).toEqual([]);
    expect(p2.attempts.map((x) => [x.stage, x.outcome, x.fixSource])).toEqual([
      ['import', 'failed', undefined],
      ['hard-fix', 'passed', 'llm'],
    ]);
    // Not applying is not failing: the fix is not counted against.
    expect((await h.get(`/fixes/${signature}`)).body).toMatchObject({ success_count: 1, failure_count: 0 });
  });

  it('a fix that keeps failing is counted against each time, demoted, and then no longer tried', async () => {
    const h = await startHarness({ RETRY_INTERVAL_MS: '10', HARD_FIX_MAX_ATTEMPTS: '1' });
    h.fake.enqueue('replace_block', {
      tool: {
        code: 'from math import sqrt\n\ndef hyp(a, b):\n    return sqrt(a * a + b * b)\n\nprint(hyp(3, 4))',
      },
    });
    const a = await h.importProject('hyp', 'python', [
      { path: 'main.py', content: 'def hyp(a, b):\n    return sqrt(a * a + b * b)\n\nprint(hyp(3, 4))\n' },
    ]);
    expect((await h.waitForStatus(a, ['delivered', 'manual-review'])).status).toBe('delivered');
    const signature = errorSignature({
      language: 'python',
      type: 'NameError',
      message: "name 'sqrt' is not defined",
    });

    // The learnt import applies to each of these, and each then fails (math.sqrt of a negative number);
    // the model's answer fails too, so each ends in manual review after one hard-fix attempt.
    for (const [i, name] of ['roots', 'spiral', 'wave', 'orbit'].entries()) {
      h.fake.enqueue('replace_block', { tool: { code: `print(sqrt_missing_${i}(-4))` } });
      const id = await h.importProject(
        name,
        'python',
        [
          {
            path: `${name}.py`,
            content: `# ${name}\nvalue = -${i + 2}\nprint(${name}_label := sqrt(value))\n`,
          },
        ],
        `${name}.py`,
      );
      const p = await h.waitForStatus(id, ['delivered', 'manual-review']);
      expect(p.status).toBe('manual-review');
      expect(p.usage.calls).toBe(1);
      // Demoted after three failures (one success in four uses): the fourth program does not try it.
      expect(p.triedFixes?.includes(signature) ?? false).toBe(i < 3);
    }
    expect((await h.get(`/fixes/${signature}`)).body).toMatchObject({
      success_count: 1,
      failure_count: 3,
      recent_outcomes: '1000',
      demoted: true,
    });
  });

  it('an imported fix ranks below a local one, whatever its imported counts', async () => {
    const h = await startHarness({ RETRY_INTERVAL_MS: '10' });
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
        fix_source: 'llm',
        used_by_projects: [],
        first_success: '2025-01-12T15:30:00',
        last_used: '2025-01-12T15:30:00',
      },
    ]);
    expect(imported.status).toBe(200);
    expect((await h.get(`/fixes/${JSON_MISSING}`)).body).toMatchObject({
      provenance: 'imported',
      fix_source: 'llm',
    });
    h.fake.enqueue('replace_block', { tool: { code: GREETER_FIX } });

    // With nothing local, the imported fix is tried (and fails); the model's fix is saved as a local one.
    const one = await h.waitForStatus(await h.importProject('one', 'python', [GREETER]), [
      'delivered',
      'manual-review',
    ]);
    expect(one.status).toBe('delivered');
    // It has no pattern (the record carried none), so only its block patch was tried.
    expect(one.triedFixes).toEqual([`${JSON_MISSING}#patch`]);
    const listed = (await h.get('/fixes?language=python')).body.items as {
      fix_id: string;
      provenance: string;
    }[];
    const local = listed.find((f) => f.provenance === 'local');
    expect(local).toBeDefined();

    // 51 successes elsewhere against 1 here: the local fix is offered first, works, and the import is not tried.
    for (const name of ['two', 'three']) {
      const p = await h.waitForStatus(await h.importProject(name, 'python', [GREETER]), [
        'delivered',
        'manual-review',
      ]);
      expect(p.status).toBe('delivered');
      expect(p.triedFixes).toEqual([local?.fix_id]);
    }
    expect(h.fake.callsFor('replace_block')).toHaveLength(1);
    expect((await h.get(`/fixes/${JSON_MISSING}`)).body).toMatchObject({ failure_count: 1, demoted: false });
    expect((await h.get(`/fixes/${local?.fix_id}`)).body).toMatchObject({
      success_count: 3,
      provenance: 'local',
    });
  });
});
