/**
 * `pnpm bench:localise`: does hard fix show the model the block that holds the fault? The corpus
 * (bench/localise-corpus/) holds programs with one wrong line each and real tests, in every language
 * that has programs there: multi-function files, faults in a caller of the crashing frame or in a
 * helper it calls, wrong answers without a crash, recursion errors, faults in another file, failures
 * raised only in the test file. For each program:
 *   - top-1 / top-3: the broken program runs in the real sandbox, and the candidate blocks hard fix
 *     would show (core's candidateBlocks over the extracted failure) are checked for the faulty line;
 *   - delivered-with-oracle: the program goes through the real service (HTTP import, worker, BullMQ
 *     on real Redis, sandboxed runs) with the test kit's oracle model, which answers the correct text
 *     of whatever block it is shown: a project is repaired exactly when a block it is shown holds the
 *     fault, within the hard-fix budget.
 *
 *   pnpm bench:localise [--corpus bench/localise-corpus] [--json out.json] [--language python]
 *                       [--no-service] [--min-top1 0.8] [--min-delivered 0.9]
 *
 * Exits 1 when a program's fault is not what the corpus says (the broken program passes or the fixed
 * one fails) or a rate is below its minimum.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Failure } from '@hardfix/contracts';
import { blockFor, candidateBlocks, narrowRange } from '@hardfix/core';
import { createSandbox, type VerifyResult } from '@hardfix/sandbox';
import { oracleModel, startFakeAnthropic } from '@hardfix/testkit';
import { runMain, waitForEnd } from '../lib/bench-common.js';
import { startInProcessService } from '../lib/in-process-service.js';
import { type LocaliseProgram, loadCorpus } from './corpus.js';
import { formatReport, type Outcome, summarise } from './report.js';

const VERIFY_TIMEOUT_MS = 30_000;
const silent = { info: () => {}, warn: () => {}, error: () => {} };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: 'bench/localise-corpus' },
      json: { type: 'string' },
      language: { type: 'string' },
      'no-service': { type: 'boolean', default: false },
      'min-top1': { type: 'string', default: '0.8' },
      'min-delivered': { type: 'string', default: '0.9' },
    },
  });
  const programs = (await loadCorpus(resolve(values.corpus))).filter(
    (p) => !values.language || p.language === values.language,
  );
  if (programs.length === 0) throw new Error('no programs in the corpus (or none in that language)');
  const started = Date.now();
  const outcomes = await localise(programs);
  const ranService = !values['no-service'];
  if (ranService) await throughService(programs, outcomes);

  const summary = summarise(programs, outcomes, ranService);
  process.stdout.write(formatReport(summary, outcomes, ((Date.now() - started) / 1000).toFixed(0)));
  if (values.json) await writeFile(values.json, `${JSON.stringify({ summary, outcomes }, null, 2)}\n`);
  const minTop1 = Number(values['min-top1']);
  const minDelivered = Number(values['min-delivered']);
  const failed = [
    summary.top1 < minTop1 ? `top-1 ${summary.top1.toFixed(2)} < ${minTop1}` : '',
    summary.delivered !== undefined && summary.delivered < minDelivered
      ? `delivered-with-oracle ${summary.delivered.toFixed(2)} < ${minDelivered}`
      : '',
  ].filter(Boolean);
  if (failed.length > 0) {
    process.stderr.write(`FAILED: ${failed.join('; ')}\n`);
    return 1;
  }
  return 0;
}

/** Runs each broken (and fixed) program in the sandbox and ranks the fault in its candidate blocks. */
async function localise(programs: LocaliseProgram[]): Promise<Outcome[]> {
  const sandbox = await createSandbox({ logger: silent });
  const outcomes: Outcome[] = [];
  for (const p of programs) {
    const verify = (files: LocaliseProgram['files']) =>
      sandbox.verify({ language: p.language, files, entry: p.entry, timeoutMs: VERIFY_TIMEOUT_MS });
    const broken = await verify(p.files);
    if (broken.ok) throw new Error(`${p.id}: the broken program passes its tests`);
    const fixed = await verify(p.fixedFiles);
    if (!fixed.ok)
      throw new Error(`${p.id}: the fixed program fails: ${fixed.error?.type}: ${fixed.error?.message}`);
    const failure = failureOf(broken);
    const candidates = candidateBlocks(failure, p.files, p.language, p.entry);
    const at = candidates.findIndex(
      (c) => c.file === p.fault.file && c.startLine <= p.fault.line && c.endLine >= p.fault.line,
    );
    const first = candidates[0];
    // The block hard fix showed before the candidate list: the extracted one, else the entry file.
    const before = blockFor(failure, p.files, p.language, p.entry);
    outcomes.push({
      baselineHit:
        before.file === p.fault.file && before.startLine <= p.fault.line && before.endLine >= p.fault.line,
      firstLines: first ? first.endLine - first.startLine + 1 : 0,
      ...spectrumHit(failure, p),
      id: p.id,
      language: p.language,
      kinds: p.kinds,
      error: `${failure.type}: ${failure.message}`.slice(0, 120),
      rank: at < 0 ? undefined : at + 1,
      first: first ? `${first.file}:${first.startLine}-${first.endLine} (${first.reason.kind})` : '-',
    });
    process.stderr.write(`${p.id}: ${failure.type}; fault in block ${at < 0 ? 'none' : at + 1}\n`);
  }
  return outcomes;
}

/** Whether the block around the tests' most suspicious line (Ochiai alone) holds the fault. */
function spectrumHit(failure: Failure, p: LocaliseProgram): { spectrumHit?: boolean } {
  const top = failure.suspicious?.[0];
  const content = p.files.find((f) => f.path === top?.file)?.content;
  if (!top || content === undefined) return {};
  const range = narrowRange(content, top.line);
  return {
    spectrumHit:
      top.file === p.fault.file && range.startLine <= p.fault.line && range.endLine >= p.fault.line,
  };
}

/** The failure as the worker stores it (attempt.ts's toFailure, without the output tail). */
function failureOf(result: VerifyResult): Failure {
  const e = result.error ?? { type: 'VerificationFailed', message: 'the project did not verify' };
  return {
    type: e.type,
    message: e.message,
    ...(e.file ? { file: e.file } : {}),
    ...(e.line ? { line: e.line } : {}),
    ...(e.block ? { block: e.block } : {}),
    ...(e.frames?.length ? { frames: e.frames.slice(0, 50) } : {}),
    ...(e.suspicious?.length ? { suspicious: e.suspicious.slice(0, 50) } : {}),
    ...(e.test ? { test: e.test } : {}),
  };
}

/** Each program through the real service with the oracle model, one at a time. */
async function throughService(programs: LocaliseProgram[], outcomes: Outcome[]): Promise<void> {
  const fake = await startFakeAnthropic({
    apiKey: 'simulated',
    handler: oracleModel(new Map(programs.map((p) => [p.id, p.fixedFiles]))),
  });
  const deliveryDir = await mkdtemp(join(tmpdir(), 'hardfix-bench-localise-'));
  const service = await startInProcessService({
    prefix: `hardfix-bench-localise-${randomBytes(4).toString('hex')}`,
    modelUrl: fake.url,
    deliveryDir,
    overrides: {
      RETRY_INTERVAL_MS: '50',
      VERIFY_TIMEOUT_MS: String(VERIFY_TIMEOUT_MS),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    },
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const json = await service.call(method, path, body);
    if (typeof json.error === 'string') throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
    return json;
  };
  try {
    for (const p of programs) {
      const { id } = (await call('POST', '/projects/import', {
        name: p.id,
        language: p.language,
        files: p.files,
        entry: p.entry,
      })) as { id: string };
      const project = await waitForEnd(call, id, 600_000);
      const attempts = (project.attempts as { stage: string }[]).filter((a) => a.stage === 'hard-fix').length;
      const outcome = outcomes.find((o) => o.id === p.id);
      if (outcome) Object.assign(outcome, { status: String(project.status), attempts });
      process.stderr.write(`${p.id}: ${project.status} after ${attempts} hard-fix attempts\n`);
    }
  } finally {
    await service.close();
    await fake.close();
    await rm(deliveryDir, { recursive: true, force: true });
  }
}

runMain(main);
