/**
 * `pnpm build`: compiles every deployable workspace package from TypeScript to JavaScript, file by file
 * (src/x.ts → dist/x.js, no bundling: node_modules stay as they are), so the images and
 * `pnpm start:api` / `pnpm start:worker` run plain `node`. Each package's `exports` has a
 * `hardfix-dist` condition pointing at dist/; `node --conditions=hardfix-dist` selects it, while
 * tsx, vitest and tsc keep using the sources.
 */
import { cp, readdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
export const DEPLOYABLE = [
  'packages/languages',
  'packages/contracts',
  'packages/core',
  'packages/llm',
  'packages/sandbox',
  'services/api',
  'services/worker',
  'services/standalone',
];

/**
 * Walked by hand: Node 20's recursive `readdir` with `withFileTypes` has dropped entries of nested
 * folders (lua/includes/library.lua went missing from dist), and a Lua fragment left behind is a
 * script that fails at run time.
 */
async function sources(dir: string): Promise<{ code: string[]; assets: string[] }> {
  const code: string[] = [];
  const assets: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await sources(path);
      code.push(...inner.code);
      assets.push(...inner.assets);
      continue;
    }
    if (!entry.isFile() || entry.name.endsWith('.test.ts')) continue;
    if (entry.name.endsWith('.ts')) code.push(path);
    else assets.push(path);
  }
  return { code, assets };
}

const started = performance.now();
for (const pkg of DEPLOYABLE) {
  const src = join(ROOT, pkg, 'src');
  const out = join(ROOT, pkg, 'dist');
  await rm(out, { recursive: true, force: true });
  const { code, assets } = await sources(src);
  await build({
    entryPoints: code,
    outdir: out,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
  // Files the code reads at run time (none today; Lua scripts, say) travel with it.
  for (const asset of assets) await cp(asset, join(out, relative(src, asset)));
  process.stdout.write(`built ${pkg} (${code.length} files)\n`);
}
process.stdout.write(`done in ${Math.round(performance.now() - started)} ms\n`);
