/**
 * `pnpm bench`: proven-fix lookup latency at 10k, 100k and 1M fixes on the Redis of REDIS_URL, under a
 * throwaway prefix that is deleted afterwards. Not a test: numbers go to docs/benchmarks.md by hand.
 *
 * Loading goes through a server-side Lua loader (load-fixes.lua) in batches (a million saveSuccess round trips would
 * take longer than the measurement is worth); it writes what a lookup reads, in the layout the library
 * writes: the fix hash with realistic field sizes and the per-signature candidate set, plus the
 * listing index. Lookups are the library's own `lookupSignatures` (the current signature and the
 * version 1 one, as `lookupCandidates` does), sequential, over loopback.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { loadEnv } from '../src/env.js';
import { FixLibrary } from '../src/fix-library/index.js';
import { keys } from '../src/keys.js';
import { LuaScript } from '../src/lua/index.js';

/** `--max 100000` stops after that size (a quick run without the 1M step's 2.6 GB). */
const MAX_AT = process.argv.indexOf('--max');
const SIZES = [10_000, 100_000, 1_000_000].filter((n) => MAX_AT < 0 || n <= Number(process.argv[MAX_AT + 1]));
const BATCH = 5_000;
const SAMPLES = 5_000;
const WARMUP = 500;

const WORKING = `import os\nfrom PIL import Image\n\ndef resize(path, size):\n    img = Image.open(path)\n    return img.resize(size)\n`;
const PATCH = `--- block\n+++ block\n@@ -1,5 +1,6 @@\n import os\n+from PIL import Image\n \n def resize(path, size):\n     img = Image.open(path)\n     return img.resize(size)\n`;

const loader = LuaScript.load(new URL('./load-fixes.lua', import.meta.url));

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const sigOf = (i: number) => i.toString(16).padStart(32, '0');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main() {
  const env = loadEnv();
  const redis = new Redis(env.REDIS_URL);
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const k = keys(prefix);
  const lib = new FixLibrary(redis, prefix);
  let loaded = 0;
  const rows: string[] = [];
  try {
    for (const size of SIZES) {
      const t0 = performance.now();
      for (let from = loaded; from < size; from += BATCH) {
        const batch = range(from, Math.min(size, from + BATCH)).flatMap((i) => [
          k.fix(sigOf(i)),
          k.fixCandidates(sigOf(i)),
        ]);
        await loader.run(
          redis,
          [k.fixesAll, ...batch],
          [JSON.stringify({ from, working: WORKING, patch: PATCH })],
        );
      }
      const loadS = (performance.now() - t0) / 1000;
      loaded = size;
      const miss = 'f'.repeat(32);
      for (let i = 0; i < WARMUP; i++) await lib.lookupSignatures([sigOf(i % size), miss]);
      const times: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const sig = sigOf(Math.floor(Math.random() * size));
        const t = performance.now();
        const found = await lib.lookupSignatures([sig, miss]);
        times.push(performance.now() - t);
        if (found[0]?.fix_id !== sig) throw new Error(`lookup of ${sig} found ${found[0]?.fix_id}`);
      }
      times.sort((a, b) => a - b);
      const mem = /used_memory_human:(\S+)/.exec(await redis.info('memory'))?.[1] ?? '?';
      const row = `| ${size.toLocaleString('en')} | ${percentile(times, 50).toFixed(3)} | ${percentile(times, 99).toFixed(3)} | ${(times.reduce((a, b) => a + b, 0) / times.length).toFixed(3)} | ${loadS.toFixed(1)} | ${mem} |`;
      rows.push(row);
      process.stdout.write(`${row}\n`);
    }
  } finally {
    for (let from = 0; from < loaded; from += BATCH) {
      const batch = range(from, Math.min(loaded, from + BATCH)).flatMap((i) => [
        k.fix(sigOf(i)),
        k.fixCandidates(sigOf(i)),
      ]);
      await redis.unlink(...batch);
    }
    await redis.unlink(k.fixesAll);
    await redis.quit();
  }
  process.stdout.write(
    `\n| fixes | p50 ms | p99 ms | mean ms | load s (cumulative step) | Redis used memory |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n(${SAMPLES} sequential lookups per size after ${WARMUP} warm-up, each for a random stored signature plus one missing signature)\n`,
  );
}

await main();
