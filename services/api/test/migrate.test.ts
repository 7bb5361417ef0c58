import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorSignature, FixLibrary, keys } from '@hardfix/core';
import { keysWithPrefix } from '@hardfix/testkit';
import { describe, expect } from 'vitest';
import { formatReport, migrate } from '../src/lib/migrate/migrate.js';
import { hardFixJobs, type TestApi, test } from './helper.js';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/implementations');

function deps(api: TestApi) {
  return {
    redis: api.redis,
    prefix: api.env.QUEUE_PREFIX,
    store: api.store,
    queues: api.queues,
    library: new FixLibrary(api.redis, api.env.QUEUE_PREFIX),
  };
}

/**
 * Everything under the test's prefix but the queues' meta keys: BullMQ writes each once its connection
 * is up, whenever that is (on a cluster, often after the test's first look), and they hold no data.
 */
async function allKeys(api: TestApi) {
  const found = await keysWithPrefix(api.fixture.redis, `${api.env.QUEUE_PREFIX}:`);
  return found.filter((key) => !key.endsWith(':meta')).sort();
}

describe('migrate', () => {
  test('imports fixes, queues projects with files as imports, sends abandoned ones to review', async ({
    api,
  }) => {
    const report = await migrate(deps(api), FIXTURE, false);
    expect(report.fixes).toEqual({ added: 2, merged: 0, skipped: 0, valid: 2, aliased: 1 });
    expect(report.enqueued.sort()).toEqual([
      'image_resizer_20250112_143500',
      'math_calculator_20250112_143022',
      'todo_app_20250113_101500',
    ]);
    expect(report.review).toEqual(['weather_cli_20250105_120000']);
    expect(report.missingFiles).toEqual(['ghost_project_20250110_000000']);
    expect(formatReport(report)).toContain('projects queued for hard fix: 3');

    const page = await api.store.list(undefined, 50);
    const byName = new Map(page.items.map((p) => [p.name, p]));
    const resizer = byName.get('image_resizer_20250112_143500');
    expect(resizer).toMatchObject({ language: 'python', stage: 'import', status: 'queued' });
    expect(byName.get('todo_app_20250113_101500')).toMatchObject({ language: 'javascript' });
    expect(byName.get('weather_cli_20250105_120000')).toMatchObject({
      language: 'java',
      stage: 'manual',
      status: 'manual-review',
    });
    const files = await api.store.getFiles(resizer?.id ?? '');
    expect(files.files.map((f) => f.path)).toEqual(['main.py']);
    expect(files.errorLog).toBe("NameError: name 'Image' is not defined");
    expect((await hardFixJobs(api)).map((j) => j.data.n)).toEqual([1, 1, 1]);

    // The seed fix is now found by this system's signature of the error that project reported.
    const lib = new FixLibrary(api.redis, api.env.QUEUE_PREFIX);
    const sig = errorSignature({
      language: 'python',
      type: 'NameError',
      message: "name 'Image' is not defined",
    });
    expect((await lib.lookup(sig))?.fix_id).toBe('5f1d7a0c3e9b4a2d8c6e0f1a2b3c4d5e');
    expect(await api.redis.hget(keys(api.env.QUEUE_PREFIX).stats, 'fixes:total')).toBe('2');

    // A second run adds nothing.
    const again = await migrate(deps(api), FIXTURE, false);
    expect(again.fixes).toMatchObject({ added: 0, merged: 0, skipped: 2, aliased: 0 });
    expect(again.enqueued).toEqual([]);
    expect(again.review).toEqual([]);
    expect(again.existing).toHaveLength(4);
    expect((await api.store.list(undefined, 50)).items).toHaveLength(4);
    expect(await hardFixJobs(api)).toHaveLength(3);
    // The seed's counters are the fix's imported history; here it has yet to prove itself.
    expect(await lib.get('5f1d7a0c3e9b4a2d8c6e0f1a2b3c4d5e')).toMatchObject({
      success_count: 0,
      imported: { success_count: 23 },
    });
  });

  test('--dry-run reports and writes nothing', async ({ api }) => {
    const before = await allKeys(api);
    const report = await migrate(deps(api), FIXTURE, true);
    expect(report.enqueued).toHaveLength(3);
    expect(report.review).toHaveLength(1);
    expect(formatReport(report)).toMatch(/^DRY RUN/);
    expect(await allKeys(api)).toEqual(before);
  });

  test('a malformed file is named with its line, and nothing is imported', async ({ api }) => {
    const before = await allKeys(api);
    const dir = await mkdtemp(path.join(tmpdir(), 'hardfix-migrate-'));
    try {
      await cp(FIXTURE, dir, { recursive: true });
      await writeFile(
        path.join(dir, 'retry_queue.json'),
        '[\n  {\n    "project_name": "x_1",\n    "language": "js",,\n  }\n]\n',
      );
      await expect(migrate(deps(api), dir, false)).rejects.toThrow(/^retry_queue\.json:4: not valid JSON/);

      await writeFile(
        path.join(dir, 'retry_queue.json'),
        '[\n  {"project_name": "ok_one"},\n  {\n    "project_name": "Bad Name!"\n  }\n]\n',
      );
      await expect(migrate(deps(api), dir, false)).rejects.toThrow(
        /^retry_queue\.json:3: record 1, field project_name: must match/,
      );
      expect(await allKeys(api)).toEqual(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
