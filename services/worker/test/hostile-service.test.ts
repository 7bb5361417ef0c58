import { describe, expect, it } from 'vitest';
import { harnessPerTest } from './harness.js';
import { FIXED_AREA } from './programs.js';

/**
 * The service, not only the sandbox: hostile programs imported at the same time as a normal project.
 * Each hostile program tries its worst, is contained, and exits 0, so it is "delivered"; what matters is
 * that the service keeps answering and the normal project is delivered as usual. (packages/sandbox's
 * hostile suite checks, program by program, that each attempt was refused or bounded.)
 */
const HOSTILE: Record<string, string> = {
  'fork-bomb': [
    'import os, time',
    'try:',
    '    while True:',
    '        if os.fork() == 0:',
    '            time.sleep(30)',
    '            os._exit(0)',
    'except OSError:',
    '    print("refused")',
  ].join('\n'),
  'shm-bomb': [
    'import mmap',
    'try:',
    '    m = mmap.mmap(-1, 2 << 30, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)',
    '    for i in range(0, 2 << 30, 4096): m[i] = 1',
    'except (OSError, MemoryError):',
    '    print("refused")',
  ].join('\n'),
  'fill-disk': [
    'try:',
    '    with open("fill", "wb") as f:',
    '        while True: f.write(b"x" * (1 << 20))',
    'except OSError:',
    '    print("full")',
  ].join('\n'),
  sleeper: ['import subprocess', 'subprocess.Popen(["sleep", "1000"], start_new_session=True)'].join('\n'),
  'env-reader': [
    'import os',
    'for pid in [p for p in os.listdir("/proc") if p.isdigit()]:',
    '    try:',
    '        assert b"ANTHROPIC" not in open(f"/proc/{pid}/environ", "rb").read()',
    '    except OSError:',
    '        pass',
  ].join('\n'),
};

describe('hostile programs through the whole service', () => {
  const startHarness = harnessPerTest();

  it('the service keeps serving and a normal project is delivered while hostile ones run', async () => {
    const h = await startHarness();
    const harness = h;
    harness.fake.enqueue('write_files', { tool: { files: [FIXED_AREA] } });
    const hostile = await Promise.all(
      Object.entries(HOSTILE).map(([name, content]) =>
        harness.importProject(name, 'python', [{ path: 'main.py', content: `${content}\n` }]),
      ),
    );
    const { body } = await harness.post('/projects', { name: 'normal', language: 'python', prompt: 'area' });

    let probes = 0;
    let healthy = 0;
    let done = false;
    const watching = (async () => {
      while (!done) {
        probes++;
        const res = await fetch(`${harness.api.url}/health`, { signal: AbortSignal.timeout(2_000) }).catch(
          () => undefined,
        );
        if (res?.status === 200) healthy++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const normal = await harness.waitForStatus(body.id as string, ['delivered', 'manual-review']);
    const others = await Promise.all(
      hostile.map((id) => harness.waitForStatus(id, ['delivered', 'manual-review'])),
    );
    done = true;
    await watching;

    expect(normal.status).toBe('delivered');
    expect(others.map((p) => [p.name, p.status])).toEqual(
      Object.keys(HOSTILE).map((name) => [name, 'delivered']),
    );
    expect(probes).toBeGreaterThan(0);
    expect(healthy).toBe(probes);
    expect((await harness.get('/ready')).status).toBe(200);
  });
});
