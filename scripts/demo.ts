/**
 * `pnpm demo`: the whole pipeline in under a minute, without an API key. A SIMULATED Claude (the test
 * kit's local Messages API, scripted per project below) stands in for the model; everything else is
 * real: Redis, BullMQ, the HTTP API, the worker, sandboxed runs of every candidate, the fix library.
 *
 *   pnpm demo            keep the delivered projects (their folder is printed)
 *   pnpm demo --clean    delete them afterwards (what the test does)
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeRedisOutage,
  isClusterUrl,
  isRedisUrlSet,
  loadEnvOrExit,
  startupRefusal,
} from '@hardfix/core';
import { hostAndPort, pingRedis, resolveLocalRedis } from '@hardfix/standalone';
import { type FakeHandler, parseBlockCode, startFakeAnthropic, startPythonIndex } from '@hardfix/testkit';
import { startInProcessService } from './lib/in-process-service.js';

const LABEL = '[SIMULATION]';
const say = (line = '') => process.stdout.write(`${line}\n`);

const CIRCLE_BROKEN = 'def area(r):\n    return PI * r * r\n\nprint(area(2))\n';
const CIRCLE_FIXED = 'import math\n\ndef area(r):\n    return math.pi * r * r\n\nprint(area(2))\n';
const REPORT_BROKEN =
  'def report(name):\n    return {"name": name, "ok": True}\n\nprint(json.dumps(report("demo")))\n';
const REPORT_FIXED_BLOCK =
  'import json\n\ndef report(name):\n    return {"name": name, "ok": True}\n\nprint(json.dumps(report("demo")))';
/** The same mistake (json used, never imported) in another program with another file name. */
const INVENTORY_BROKEN =
  'import os\n\n\ndef inventory(items):\n    return {"count": len(items), "cwd": bool(os.getcwd())}\n\n\nprint(json.dumps(inventory(["a", "b"])))\n';

/** A program whose bug only its test sees: the entry runs and exits 0 either way. */
const CART_MAIN = 'from cart import total\n\nprint("total", total([3, 4, 5]))\n';
const CART_BROKEN = 'def total(prices):\n    return sum(prices[1:])\n';
const CART_TEST = [
  'import unittest',
  'from cart import total',
  '',
  '',
  'class CartTest(unittest.TestCase):',
  '    def test_total(self):',
  '        self.assertEqual(total([3, 4, 5]), 12)',
  '',
  '    def test_empty(self):',
  '        self.assertEqual(total([]), 0)',
  '',
].join('\n');
/** The hard-fix candidate that "works" by doing nothing: main exits 0, test_total fails. */
const CART_GUTTED = 'def total(prices):\n    return 0';
const CART_FIXED = 'def total(prices):\n    return sum(prices)';

/** A stand-in `Pillow` (module `PIL`) on a local package index: the demo has no internet. */
const FAKE_PIL =
  'def fit(w, h, box):\n    s = min(box / w, box / h)\n    return round(w * s), round(h * s)\n';
const RESIZER_MAIN = 'from PIL import fit\n\nprint(fit(4000, 3000, 800))\n';
const RESIZER_TEST =
  'from PIL import fit\n\ndef test_fit():\n    assert fit(4000, 3000, 800) == (800, 600)\n';
const THUMBS =
  'import sys\nfrom PIL import fit\n\nfor w, h in [(1920, 1080), (600, 900)]:\n    print(fit(w, h, 128))\n';

/** What the simulated model answers, per project: the scenarios of the demo. */
function scenarios(): FakeHandler {
  const calls = new Map<string, number>();
  return (req) => {
    const key = `${req.projectName}:${req.toolName}`;
    const n = (calls.get(key) ?? 0) + 1;
    calls.set(key, n);
    const write = (content: string) => ({ tool: { files: [{ path: 'main.py', content }] } });
    switch (`${req.projectName}:${req.toolName}`) {
      case 'circle-area:write_files':
        return write(n < 4 ? CIRCLE_BROKEN : CIRCLE_FIXED);
      case 'circle-area:report_analysis':
        return {
          tool: { confidence: 0.9, diagnosis: 'PI is never defined', plan: 'import math; use math.pi' },
        };
      case 'status-report:write_files':
        return write(REPORT_BROKEN);
      case 'status-report:report_analysis':
        return { tool: { confidence: 0.3, diagnosis: 'unclear', plan: 'unclear' } };
      case 'status-report:replace_block':
        return {
          tool: {
            code: n === 1 ? REPORT_BROKEN.replace('json.dumps', 'jsn.dumps').trimEnd() : REPORT_FIXED_BLOCK,
          },
        };
      case 'cart-total:write_files':
        return {
          tool: {
            files: [
              { path: 'main.py', content: CART_MAIN },
              { path: 'cart.py', content: CART_BROKEN },
              { path: 'test_cart.py', content: CART_TEST },
            ],
          },
        };
      case 'cart-total:report_analysis':
        return { tool: { confidence: 0.3, diagnosis: 'unclear', plan: 'unclear' } };
      case 'cart-total:replace_block':
        return { tool: { code: n === 1 ? CART_GUTTED : CART_FIXED } };
      case 'image-resizer:write_files':
        return {
          tool: {
            files: [
              { path: 'requirements.txt', content: 'Pillow\n' },
              { path: 'main.py', content: RESIZER_MAIN },
              { path: 'test_main.py', content: RESIZER_TEST },
            ],
          },
        };
      case 'photo-resizer:replace_block':
        // The block stays as it is; the fix is the distribution that provides the module.
        return { tool: { code: parseBlockCode(req.userText) ?? '', dependencies: ['Pillow'] } };
      default:
        return undefined; // the generic simulated Claude: a small working program
    }
  };
}

interface AttemptView {
  n: number;
  stage: string;
  outcome: string;
  strategy?: string;
  fixSource?: string;
  error?: { type: string; message: string };
  tests?: { run: number; passed: number; failed: number };
}
interface ProjectView {
  id: string;
  status: string;
  attempts: AttemptView[];
  usage: { calls: number };
  tests?: 'none' | { files: string[] };
  analysis?: { confidence: number; diagnosis: string; plan: string };
  delivery?: { path: string };
}

/** Set by Ctrl-C: the demo stops polling and still runs its cleanup (keys, servers, worker). */
let interrupted = false;
class Interrupted extends Error {}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: give up on cleaning up
    interrupted = true;
    process.stderr.write(`\n${LABEL} interrupted: cleaning up (Ctrl-C again to quit at once)\n`);
  });
}

async function main(): Promise<number> {
  const clean = process.argv.includes('--clean');
  const prefix = `demo-${randomBytes(4).toString('hex')}`;
  const deliveryDir = await mkdtemp(join(tmpdir(), 'hardfix-demo-'));
  // REDIS_URL, else the default address, else an embedded redis-server for the length of the demo.
  const local = await resolveLocalRedis(loadEnvOrExit(), isRedisUrlSet());
  if (local.note) say(`${LABEL} ${local.note}`);
  // A configured Redis that does not answer: say so now, instead of waiting in silence for it.
  if (!isClusterUrl(local.url)) {
    const { host, port } = hostAndPort(local.url);
    const down = await pingRedis(host, port, 3_000).then(
      () => undefined,
      (err: Error) => err.message,
    );
    if (down !== undefined) {
      process.stderr.write(`demo: ${describeRedisOutage(local.url, down)}\n`);
      return 1;
    }
  }
  const fake = await startFakeAnthropic({ handler: scenarios() });
  const index = await startPythonIndex([
    { name: 'Pillow', version: '10.0.0', module: 'PIL', code: FAKE_PIL },
  ]);
  // Beside the sandbox's work root in /var/tmp, as the service's default: the sandbox's users read the
  // installed sets, and they cannot enter a private TMPDIR.
  const dependencyCache = await mkdtemp('/var/tmp/hardfix-demo-deps-');
  await chmod(dependencyCache, 0o755);
  const service = await startInProcessService({
    prefix,
    redisUrl: local.url,
    modelUrl: fake.url,
    deliveryDir,
    overrides: {
      RETRY_INTERVAL_MS: '300',
      PIP_INDEX_URL: index.indexUrl,
      DEPENDENCY_CACHE_DIR: dependencyCache,
    },
  });
  const { call } = service;

  /** Polls a project and prints each attempt as it is recorded, until it is delivered or needs a person. */
  const follow = async (id: string): Promise<ProjectView> => {
    let shown = 0;
    let analysisShown = false;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (interrupted) throw new Interrupted();
      const p = (await call('GET', `/projects/${id}`)) as unknown as ProjectView;
      for (const a of p.attempts.slice(shown)) {
        const what = a.outcome === 'passed' ? 'verified ✓' : `failed: ${a.error?.type}: ${a.error?.message}`;
        const how = [a.strategy, a.fixSource && `fix from ${a.fixSource}`].filter(Boolean).join(', ');
        const repaired = a.outcome === 'passed' && a.error ? ` (repaired ${a.error.type})` : '';
        const tests = a.tests ? ` — tests ${a.tests.passed}/${a.tests.run} passed` : '';
        say(`    ${a.stage} attempt ${a.n}${how ? ` [${how}]` : ''}: ${what}${repaired}${tests}`);
      }
      shown = p.attempts.length;
      if (p.analysis && !analysisShown) {
        analysisShown = true;
        const { confidence, diagnosis, plan } = p.analysis;
        say(`    AI analysis: confidence ${confidence} — ${diagnosis}; plan: ${plan}`);
      }
      if (['delivered', 'manual-review', 'abandoned'].includes(p.status) || Date.now() > deadline) return p;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const results: { title: string; ok: boolean; detail: string }[] = [];
  const run = async (title: string, submit: () => Promise<Record<string, unknown>>, expectCalls?: number) => {
    if (interrupted) throw new Interrupted();
    say();
    say(`${LABEL} ${title}`);
    const before = fake.requests.length;
    const { id } = await submit();
    const p = await follow(String(id));
    const calls = fake.requests.length - before;
    const ok = p.status === 'delivered' && (expectCalls === undefined || calls === expectCalls);
    const tests = p.tests === 'none' ? 'tests: none' : p.tests ? `tests: ${p.tests.files.join(', ')}` : '';
    const detail = `${p.status}${p.delivery ? ` to ${p.delivery.path}` : ''}; LLM calls: ${calls}${tests ? `; ${tests}` : ''}`;
    say(`  → ${ok ? 'OK' : 'UNEXPECTED'}: ${detail}`);
    results.push({ title, ok, detail });
  };

  say(
    `${LABEL} Hard Fix demo — answers come from a simulated Claude on ${fake.url}; no real model is called.`,
  );
  say(
    `${LABEL} Everything else is real: Redis (prefix ${prefix}), BullMQ, the API at ${service.api.url}, sandboxed runs.`,
  );
  try {
    await run('1. A project delivered at once', () =>
      call('POST', '/projects', {
        name: 'hello-world',
        language: 'python',
        prompt: 'print a friendly greeting',
      }),
    );
    await run('2. Broken three times; the AI analysis is confident; the smart retry (attempt 4) works', () =>
      call('POST', '/projects', {
        name: 'circle-area',
        language: 'python',
        prompt: 'print the area of a circle',
      }),
    );
    await run(
      '3. Low-confidence analysis → hard fix: a targeted block fix works and is saved to the library',
      () =>
        call('POST', '/projects', {
          name: 'status-report',
          language: 'python',
          prompt: 'print a JSON status',
        }),
    );
    const size = ((await call('GET', '/fixes')) as { total?: number }).total ?? 0;
    say(`  proven-fix library now holds ${size} fix(es)`);
    await run(
      '4. Another program with the same mistake, imported: repaired from the library, no LLM call',
      () =>
        call('POST', '/projects/import', {
          name: 'inventory',
          language: 'python',
          files: [{ path: 'inventory.py', content: INVENTORY_BROKEN }],
          entry: 'inventory.py',
        }),
      0,
    );
    await run(
      '5. Tests are the spec: a fix that makes the program exit 0 but fails a test is refused; the real fix is delivered',
      async () => {
        say(
          '  (scripted: the first hard-fix answer makes total() return 0 — main.py still runs and exits 0)',
        );
        return call('POST', '/projects', {
          name: 'cart-total',
          language: 'python',
          prompt:
            'cart.py with total(prices), the sum of a list of prices (0 for none); main.py prints a total',
        });
      },
    );

    await run(
      `6. A program that needs a package: requirements.txt declares Pillow, installed from the local index ${index.indexUrl} (wheels only) and mounted read-only into the sandbox`,
      () =>
        call('POST', '/projects', {
          name: 'image-resizer',
          language: 'python',
          prompt: 'fit an image into 800 px',
        }),
    );
    await run(
      "7. Imported without its manifest (No module named 'PIL'): hard fix declares Pillow via replace_block.dependencies; saved to the library",
      () =>
        call('POST', '/projects/import', {
          name: 'photo-resizer',
          language: 'python',
          files: [
            { path: 'main.py', content: RESIZER_MAIN },
            { path: 'test_main.py', content: RESIZER_TEST },
          ],
        }),
    );
    await run(
      '8. Another program with the same missing module: repaired from the library (declares Pillow), no LLM call',
      () =>
        call('POST', '/projects/import', {
          name: 'thumbnails',
          language: 'python',
          files: [{ path: 'thumbs.py', content: THUMBS }],
          entry: 'thumbs.py',
        }),
      0,
    );
    say(
      `  the index served the Pillow wheel ${index.downloads('Pillow')} time(s) for three projects (the same set is cached)`,
    );

    const status = (await call('GET', '/status')) as {
      projects: Record<string, number>;
      hardFix: Record<string, number>;
      llm: Record<string, number | boolean>;
    };
    say();
    say(`${LABEL} Status (GET /status)`);
    say(`  projects: ${JSON.stringify(status.projects)}`);
    say(`  hard fix: ${JSON.stringify(status.hardFix)}`);
    say(`  llm:      ${JSON.stringify(status.llm)}`);
    say(clean ? '  (delivered projects are removed: --clean)' : `  delivered projects are in ${deliveryDir}`);
  } catch (err) {
    if (!(err instanceof Interrupted)) throw err;
  } finally {
    await service.close();
    await fake.close();
    await index.close();
    await rm(dependencyCache, { recursive: true, force: true });
    await local.embedded?.stop();
    if (clean) await rm(deliveryDir, { recursive: true, force: true });
  }
  if (interrupted) {
    say(`${LABEL} Stopped before the end; its Redis keys are deleted.`);
    return 130;
  }
  const failed = results.filter((r) => !r.ok);
  say();
  say(
    failed.length
      ? `${LABEL} ${failed.length} scenario(s) did not end as expected.`
      : `${LABEL} All ${results.length} scenarios ended as expected.`,
  );
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // An expected condition (no redis-server to start, say) is one line naming the fix; a bug, its stack.
    const line = startupRefusal(err);
    process.stderr.write(`demo failed: ${line ?? (err instanceof Error ? err.stack : String(err))}\n`);
    process.exit(1);
  },
);
