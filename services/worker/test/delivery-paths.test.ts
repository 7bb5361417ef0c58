import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Harness, harnessPerTest } from './harness.js';
import { FIXED_AREA } from './programs.js';

const FSMONITOR = { path: '.git/config', content: '[core]\n\tfsmonitor = "touch /tmp/hardfix-pwned"\n' };

/** Every file under `dir`, relative, with its mode. */
async function tree(dir: string, under = ''): Promise<{ path: string; mode: number }[]> {
  const out: { path: string; mode: number }[] = [];
  for (const entry of await readdir(join(dir, under), { withFileTypes: true })) {
    const rel = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await tree(dir, rel)));
    else out.push({ path: rel, mode: (await stat(join(dir, rel))).mode & 0o777 });
  }
  return out;
}

async function parkedReason(h: Harness, id: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const p = await h.store.mustGet(id);
    if (p.parked) return p.parked.reason;
    if (p.status === 'delivered') throw new Error(`delivered instead of parked: ${JSON.stringify(p)}`);
    if (Date.now() > deadline) throw new Error(`never parked: ${JSON.stringify(p)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('what reaches DELIVERY_DIR', () => {
  const startForTest = harnessPerTest();

  it('an import with .git/config is a 400 and never reaches DELIVERY_DIR', async () => {
    const h = await startForTest();
    const res = await h.post('/projects/import', {
      name: 'fsmonitor',
      language: 'python',
      files: [FIXED_AREA, FSMONITOR],
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^body\.files\.1\.path: "\.git\/config" is refused: \.git /);
    // No project was made and no job is left that could deliver one.
    expect((await h.store.list(undefined, 10)).items).toEqual([]);
    await h.settled();
    expect(await readdir(h.deliveryDir)).toEqual([]);
  });

  it("a model's write_files answer with .git/config is an invalid answer; the delivery has no .git and no execute bits", async () => {
    const h = await startForTest();
    h.fake.enqueue('write_files', { toolRaw: { files: [FIXED_AREA, FSMONITOR] } });
    h.fake.enqueue('write_files', {
      tool: { files: [FIXED_AREA, { path: 'lib/run.sh', content: 'echo hi\n' }] },
    });
    const created = await h.post('/projects', { name: 'git-answer', language: 'python', prompt: 'area' });
    expect(created.status).toBe(202);
    const project = await h.waitForStatus(created.body.id as string, ['delivered', 'manual-review']);
    expect(project.status).toBe('delivered');
    expect(h.fake.callsFor('write_files')).toHaveLength(2);
    expect(project.attempts.map((a) => a.outcome)).toEqual(['failed', 'passed']);
    expect(project.attempts[0]?.error?.message).toContain('".git/config" is refused');
    const files = await tree(join(h.deliveryDir, 'git-answer'));
    expect(files.map((f) => f.path).sort()).toEqual(['.hardfix-manifest.json', 'lib/run.sh', 'main.py']);
    for (const f of files) expect(f.mode & 0o111, f.path).toBe(0);
  });

  it('a name the API accepts is accepted end to end: "..config.py" is verified and delivered', async () => {
    const h = await startForTest();
    const res = await h.post('/projects/import', {
      name: 'dotted',
      language: 'python',
      files: [FIXED_AREA, { path: '..config.py', content: 'X = 1\n' }],
    });
    expect(res.status).toBe(202);
    const project = await h.waitForStatus(res.body.id as string, ['delivered', 'manual-review'], 30_000);
    expect(project.status).toBe('delivered');
    expect((await tree(join(h.deliveryDir, 'dotted'))).map((f) => f.path)).toContain('..config.py');
  });

  it("a stored path that today's rule refuses (saved before it) parks the project with the path and why", async () => {
    const h = await startForTest({ RETRY_INTERVAL_MS: '50' });
    const dots = await h.importProject('dots', 'python', [FIXED_AREA, { path: '...', content: 'x\n' }]);
    const git = await h.importProject('old-git', 'python', [FIXED_AREA, FSMONITOR]);
    expect(await parkedReason(h, dots)).toMatch(
      /break the file rules: files\.1\.path \("\.\.\."\): must not contain a segment made only of dots$/,
    );
    expect(await parkedReason(h, git)).toMatch(/break the file rules: files\.1\.path \("\.git\/config"\): /);
    expect(await readdir(h.deliveryDir)).toEqual([]);
  });
});
