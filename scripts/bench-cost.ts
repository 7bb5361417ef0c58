/**
 * `pnpm bench:cost`: what one delivered project costs in tokens on a scripted hard-fix run, with and
 * without prompt caching. The real pipeline (Redis, BullMQ, the worker, the real SDK, sandboxed runs)
 * against the test kit's Messages API, whose usage follows the real API's caching rules (a prefix up
 * to a `cache_control` breakpoint, at least the model's minimum, read within 5 minutes) with tokens estimated
 * at four characters each. Every project: one generation answer whose tests fail, a low-confidence
 * analysis, then hard fix with HARD_FIX_ATTEMPTS - 1 wrong replacements and one right one. The fix
 * library is emptied after each project, so every project pays for its whole round.
 *
 *   pnpm bench:cost [--projects 3] [--attempts 6]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUEUES, type TokenUsage } from '@hardfix/contracts';
import { createLogger, createRedisClient, enqueueStage, FixLibrary, loadEnv } from '@hardfix/core';
import { costMicroUsd } from '@hardfix/llm';
import { deleteKeysWithPrefix, type FakeHandler, startFakeAnthropic } from '@hardfix/testkit';
import { startWorker } from '@hardfix/worker';
import { positiveIntArg } from './lib/cli-args.js';

const PROJECTS = positiveIntArg('projects', 3);
const HARD_FIX_ATTEMPTS = positiveIntArg('attempts', 6);
/** The default LLM_MODEL, priced by its row of the model table (packages/llm/src/models.ts). */
const MODEL = 'claude-sonnet-5-5';

const REQUEST =
  'An invoicing tool: invoice.py computes line totals (quantity x unit price, minus a percentage ' +
  'discount), the subtotal, tax at a given rate and the grand total, rounded to cents; formatting.py ' +
  'renders amounts and an invoice as text; storage.py keeps invoices in memory by number. main.py ' +
  'builds a sample invoice with three lines and prints it. Include unittest tests for every module.';

/** A multi-file project of realistic size; `lineTotal` is the one function that is wrong. */
function projectFiles(lineTotal: string) {
  const helpers = (prefix: string, n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `def ${prefix}_${i}(value):\n    """Helper ${i}: normalises a value for ${prefix}."""\n    if value is None:\n        return ${i}\n    return value\n`,
    ).join('\n\n');
  return [
    {
      path: 'main.py',
      content:
        'from formatting import render_invoice\nfrom invoice import Line, grand_total\nfrom storage import Store\n\n' +
        'lines = [Line("widget", 2, 3.5, 10), Line("gadget", 1, 10.0, 0), Line("gizmo", 4, 1.25, 5)]\n' +
        'store = Store()\nstore.save("INV-1", lines)\nprint(render_invoice("INV-1", store.load("INV-1")))\n' +
        'print("total", grand_total(lines, 0.2))\n',
    },
    {
      path: 'invoice.py',
      content:
        'from collections import namedtuple\n\nLine = namedtuple("Line", "name quantity unit_price discount_pct")\n\n\n' +
        `${lineTotal}\n\n\n` +
        'def subtotal(lines):\n    return round(sum(line_total(l) for l in lines), 2)\n\n\n' +
        'def tax(lines, rate):\n    return round(subtotal(lines) * rate, 2)\n\n\n' +
        'def grand_total(lines, rate):\n    return round(subtotal(lines) + tax(lines, rate), 2)\n',
    },
    {
      path: 'formatting.py',
      content:
        'from invoice import grand_total, line_total, subtotal, tax\n\n\n' +
        'def money(amount):\n    return f"{amount:,.2f}"\n\n\n' +
        'def render_invoice(number, lines, rate=0.2):\n    rows = [f"Invoice {number}"]\n' +
        '    for l in lines:\n        rows.append(f"  {l.name:<10} {l.quantity:>3} x {money(l.unit_price):>8}  {money(line_total(l)):>10}")\n' +
        '    rows.append(f"  subtotal {money(subtotal(lines)):>30}")\n    rows.append(f"  tax {money(tax(lines, rate)):>35}")\n' +
        '    rows.append(f"  total {money(grand_total(lines, rate)):>33}")\n    return "\\n".join(rows)\n\n\n' +
        helpers('fmt', 12),
    },
    {
      path: 'storage.py',
      content: `class Store:\n    def __init__(self):\n        self._items = {}\n\n    def save(self, number, lines):\n        self._items[number] = list(lines)\n\n    def load(self, number):\n        return list(self._items[number])\n\n    def numbers(self):\n        return sorted(self._items)\n\n\n${helpers('store', 12)}`,
    },
    {
      path: 'test_invoice.py',
      content:
        'import unittest\nfrom invoice import Line, grand_total, line_total, subtotal, tax\n\n\n' +
        'class InvoiceTest(unittest.TestCase):\n' +
        '    def test_line_total_without_discount(self):\n        self.assertEqual(line_total(Line("a", 2, 3.5, 0)), 7.0)\n\n' +
        '    def test_line_total_with_discount(self):\n        self.assertEqual(line_total(Line("a", 2, 3.5, 10)), 6.3)\n\n' +
        '    def test_subtotal(self):\n        self.assertEqual(subtotal([Line("a", 1, 10.0, 0), Line("b", 4, 1.25, 0)]), 15.0)\n\n' +
        '    def test_tax_and_total(self):\n        lines = [Line("a", 1, 10.0, 0)]\n        self.assertEqual(tax(lines, 0.2), 2.0)\n        self.assertEqual(grand_total(lines, 0.2), 12.0)\n',
    },
    {
      path: 'test_formatting.py',
      content:
        'import unittest\nfrom formatting import money, render_invoice\nfrom invoice import Line\n\n\n' +
        'class FormattingTest(unittest.TestCase):\n' +
        '    def test_money(self):\n        self.assertEqual(money(1234.5), "1,234.50")\n\n' +
        '    def test_render_has_total(self):\n        text = render_invoice("X", [Line("a", 1, 10.0, 0)])\n        self.assertIn("total", text)\n        self.assertIn("12.00", text)\n',
    },
  ];
}

/** Takes the percentage for a fraction: right without a discount, wrong with one (one test fails). */
const WRONG =
  'def line_total(line):\n    return round(line.quantity * line.unit_price * (1 - line.discount_pct), 2)';
const RIGHT =
  'def line_total(line):\n    return round(line.quantity * line.unit_price * (1 - line.discount_pct / 100), 2)';
/** Wrong in a new way each time (a repeated candidate would be refused unrun). */
const stillWrong = (i: number) =>
  `def line_total(line):\n    return round(line.quantity * line.unit_price * (1 - line.discount_pct / ${100 + i}), 2)`;

function scripted(): FakeHandler {
  const fixes = new Map<string, number>();
  return (req) => {
    if (req.toolName === 'write_files') return { tool: { files: projectFiles(WRONG) } };
    if (req.toolName === 'report_analysis')
      return { tool: { confidence: 0.2, diagnosis: 'line totals are wrong', plan: 'fix line_total' } };
    if (req.toolName !== 'replace_block') return undefined;
    const n = (fixes.get(req.projectName ?? '') ?? 0) + 1;
    fixes.set(req.projectName ?? '', n);
    return { tool: { code: n < HARD_FIX_ATTEMPTS ? stillWrong(n) : RIGHT } };
  };
}

interface Run {
  caching: boolean;
  delivered: number;
  usage: TokenUsage;
}

async function runOnce(caching: boolean): Promise<Run> {
  const prefix = `bench-cost-${randomBytes(4).toString('hex')}`;
  const deliveryDir = await mkdtemp(join(tmpdir(), 'hardfix-bench-'));
  const fake = await startFakeAnthropic({ handler: scripted() });
  const env = loadEnv({
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: prefix,
    ANTHROPIC_API_KEY: 'simulated',
    ANTHROPIC_BASE_URL: fake.url,
    LLM_MODEL: MODEL,
    LLM_PROMPT_CACHING: String(caching),
    NORMAL_RETRIES: '1',
    RETRY_INTERVAL_MS: '20',
    VERIFY_TIMEOUT_MS: '20000',
    DELIVERY_DIR: deliveryDir,
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger(env.LOG_LEVEL);
  const worker = await startWorker(env, logger);
  const { store, queues, redis } = worker.deps;
  const library = new FixLibrary(redis, prefix);
  const total: TokenUsage = {
    calls: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
    costMicroUsd: 0,
  };
  let delivered = 0;
  try {
    for (let i = 0; i < PROJECTS; i++) {
      const created = await store.create({
        name: `invoice-${i}`,
        language: 'python',
        prompt: REQUEST,
        status: 'queued',
        stage: 'generation',
      });
      if (!created.created) throw new Error('name taken');
      await enqueueStage(queues, QUEUES.generation, created.project.id, 1);
      const deadline = Date.now() + 120_000;
      for (;;) {
        const p = await store.mustGet(created.project.id);
        if (['delivered', 'manual-review', 'abandoned'].includes(p.status)) {
          if (p.status === 'delivered') delivered++;
          else throw new Error(`invoice-${i} ended ${p.status}: ${JSON.stringify(p.attempts.at(-1))}`);
          for (const k of Object.keys(total) as (keyof TokenUsage)[])
            total[k] = (total[k] ?? 0) + (p.usage[k] ?? 0);
          break;
        }
        if (Date.now() > deadline) throw new Error(`invoice-${i} did not finish in time`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // Each project pays for its own round: no library hit for the next one.
      for (const fix of (await library.list({}, 100)).items) await library.delete(fix.fix_id);
    }
  } finally {
    await worker.close();
    await fake.close();
    const cleanup = createRedisClient(env.REDIS_URL, 'worker', logger, 'bench-cleanup');
    await deleteKeysWithPrefix(cleanup, prefix);
    await cleanup.quit();
    await rm(deliveryDir, { recursive: true, force: true });
  }
  return { caching, delivered, usage: total };
}

function row(run: Run): string {
  const per = (v: number) => Math.round(v / run.delivered).toLocaleString('en-US');
  const u = run.usage;
  const input = u.inputTokens + u.cacheWriteTokens + u.cacheReadTokens;
  const cost = costMicroUsd(MODEL, {
    inputTokens: u.inputTokens,
    outputTokens: u.outputTokens,
    cacheWriteTokens: u.cacheWriteTokens,
    cacheReadTokens: u.cacheReadTokens,
  });
  return `| ${run.caching ? 'on' : 'off'} | ${per(u.calls)} | ${per(input)} | ${per(u.inputTokens)} | ${per(u.cacheWriteTokens)} | ${per(u.cacheReadTokens)} | ${per(u.outputTokens)} | $${(cost / 1e6 / run.delivered).toFixed(4)} |`;
}

async function main() {
  process.stdout.write(
    `bench:cost — ${PROJECTS} project(s), ${HARD_FIX_ATTEMPTS} hard-fix attempts each (the last one right), ${MODEL} prices\n\n`,
  );
  const runs = [await runOnce(true), await runOnce(false)];
  process.stdout.write(
    [
      '| caching | calls | input (all) | input (uncached) | cache write | cache read | output | est. cost |',
      '|---|---|---|---|---|---|---|---|',
      ...runs.map(row),
    ].join('\n'),
  );
  process.stdout.write('\n\n(per delivered project)\n');
  const [on, off] = runs as [Run, Run];
  const saved = 1 - on.usage.costMicroUsd / off.usage.costMicroUsd;
  process.stdout.write(`caching saves ${(saved * 100).toFixed(1)}% of the estimated cost\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench:cost failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
