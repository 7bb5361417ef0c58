/**
 * `pnpm bench:reuse`: how often the proven-fix library repairs a mistake it has seen before, in a
 * program it has not. The corpus (bench/reuse-corpus/) holds mistake classes, each in several programs
 * unlike each other (names, structure, file, line). Every program goes through the real service — the
 * HTTP API (POST /projects/import), a worker, BullMQ and the library on real Redis, sandboxed runs —
 * with the test kit's local Messages API as the model: it repairs the block it is shown the way the
 * class says, and counts every call. Round 1 submits the first program of every class, rounds 2.. the
 * others, so each class's first occurrence is fixed by the "model" and every later one may reuse it.
 *
 *   pnpm bench:reuse [--corpus bench/reuse-corpus] [--json results.json] [--min-reuse 0.8]
 *   pnpm bench:reuse --without-patterns    the same, with every learnt edit pattern deleted from the
 *                                          library as soon as it is saved: block-level patches only
 *
 * Exits 1 when a project is not delivered or a language's reuse rate is below --min-reuse.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TOOLS } from '@hardfix/contracts';
import { keys } from '@hardfix/core';
import { startFakeAnthropic } from '@hardfix/testkit';
import { runMain, waitForEnd } from '../lib/bench-common.js';
import { type InProcessService, startInProcessService } from '../lib/in-process-service.js';
import { blockOfPrompt, loadCorpus, type MistakeClass, modelAnswer } from './corpus.js';
import { formatReport, type Outcome, summarise } from './report.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: 'bench/reuse-corpus' },
      json: { type: 'string' },
      'min-reuse': { type: 'string', default: '0.8' },
      'without-patterns': { type: 'boolean', default: false },
    },
  });
  const classes = await loadCorpus(resolve(values.corpus));
  const byProject = new Map<string, MistakeClass>();
  for (const c of classes) for (const p of c.programs) byProject.set(p.name, c);

  const fake = await startFakeAnthropic({
    apiKey: 'simulated',
    handler: (req) => {
      const cls = req.projectName ? byProject.get(req.projectName) : undefined;
      const block = blockOfPrompt(req.userText);
      if (req.toolName !== TOOLS.replaceBlock.name || !cls || block === undefined) return undefined;
      return { tool: { code: modelAnswer(cls.model, block) } };
    },
  });
  const deliveryDir = await mkdtemp(join(tmpdir(), 'hardfix-bench-'));
  const service = await startInProcessService({
    prefix: `hardfix-bench-${randomBytes(4).toString('hex')}`,
    modelUrl: fake.url,
    deliveryDir,
    overrides: {
      RETRY_INTERVAL_MS: '50',
      VERIFY_TIMEOUT_MS: '30000',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    },
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const json = await service.call(method, path, body);
    if (typeof json.error === 'string') throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
    return json;
  };

  const outcomes: Outcome[] = [];
  const started = Date.now();
  try {
    const rounds = Math.max(...classes.map((c) => c.programs.length));
    for (let round = 0; round < rounds; round++) {
      for (const cls of classes) {
        const program = cls.programs[round];
        if (!program) continue;
        const callsBefore = fake.requests.length;
        const { id } = (await call('POST', '/projects/import', {
          name: program.name,
          language: cls.language,
          files: program.files,
          entry: program.entry,
        })) as { id: string };
        const project = await waitForEnd(call, id, 180_000);
        if (values['without-patterns']) await dropPatterns(service);
        const attempts = project.attempts as { outcome: string; fixSource?: string; stage: string }[];
        const passed = attempts.find((a) => a.outcome === 'passed');
        outcomes.push({
          classId: cls.id,
          language: cls.language,
          occurrence: round + 1,
          project: program.name,
          status: String(project.status),
          llmCalls: fake.requests.length - callsBefore,
          fixSource: passed?.fixSource,
          repairedAt: passed ? `${passed.stage}` : undefined,
        });
        process.stderr.write(
          `${program.name}: ${project.status}, ${fake.requests.length - callsBefore} LLM calls${passed?.fixSource ? `, fixed by ${passed.fixSource}` : ''}\n`,
        );
      }
    }
  } finally {
    await service.close();
    await fake.close();
    await rm(deliveryDir, { recursive: true, force: true });
  }

  const summary = summarise(classes, outcomes);
  process.stdout.write(formatReport(summary, ((Date.now() - started) / 1000).toFixed(0)));
  if (values.json) await writeFile(values.json, `${JSON.stringify({ summary, outcomes }, null, 2)}\n`);
  const min = values['without-patterns'] ? 0 : Number(values['min-reuse']);
  const bad = summary.languages.filter((l) => l.rate < min);
  if (summary.delivered < summary.projects || bad.length > 0) {
    process.stderr.write(
      `FAILED: ${summary.projects - summary.delivered} not delivered; below ${min}: ${bad.map((l) => l.language).join(', ') || 'none'}\n`,
    );
    return 1;
  }
  return 0;
}

/** The ablation: the library as it was before edit patterns (a benchmark-only edit of its hashes). */
async function dropPatterns(service: InProcessService): Promise<void> {
  const { library, redis } = service.worker.deps;
  for await (const fix of library.all()) {
    if (fix.pattern) await redis.hdel(keys(service.env.QUEUE_PREFIX).fix(fix.fix_id), 'pattern');
  }
}

runMain(main);
