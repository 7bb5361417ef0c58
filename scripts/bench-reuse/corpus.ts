import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Language, languageSchema, type ProjectFile } from '@hardfix/contracts';
import { z } from 'zod';
import { readTree } from '../lib/bench-common.js';

/**
 * How the simulated model repairs the first occurrence of a class, from the block the hard-fix prompt
 * shows it (it may change only that block, as the real prompt says):
 * - `replace`: a regular expression (global) and its replacement, applied to the block;
 * - `insertAbove`: an import line put above the first block line containing `where`, indented like it
 *   (a local import: lines outside the block cannot change).
 */
const modelFixSchema = z.union([
  z.object({ replace: z.tuple([z.string(), z.string()]) }),
  z.object({ insertAbove: z.object({ line: z.string(), where: z.string() }) }),
]);
export type ModelFix = z.infer<typeof modelFixSchema>;

const classFileSchema = z.object({
  language: languageSchema,
  mistake: z.string(),
  model: modelFixSchema,
  programs: z.array(z.object({ dir: z.string(), entry: z.string() })).min(2),
});

export interface CorpusProgram {
  name: string;
  entry: string;
  files: ProjectFile[];
}

export interface MistakeClass {
  id: string;
  language: Language;
  mistake: string;
  model: ModelFix;
  programs: CorpusProgram[];
}

/** Every class under `root` (one folder each, with class.json and a folder per program), by id. */
export async function loadCorpus(root: string): Promise<MistakeClass[]> {
  const ids = (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const classes: MistakeClass[] = [];
  for (const id of ids.sort()) {
    const raw = JSON.parse(await readFile(join(root, id, 'class.json'), 'utf8'));
    const parsed = classFileSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${id}/class.json: ${parsed.error.issues[0]?.message}`);
    const meta = parsed.data;
    const programs = await Promise.all(
      meta.programs.map(async (p, i) => ({
        name: `${id}-${i + 1}`,
        entry: p.entry,
        files: await readTree(join(root, id, p.dir)),
      })),
    );
    classes.push({ id, language: meta.language, mistake: meta.mistake, model: meta.model, programs });
  }
  return classes;
}

/** The block of a hard-fix prompt (numbered lines between <block> tags), without its numbers. */
export function blockOfPrompt(userText: string): string | undefined {
  const m = /<block>\n([\s\S]*?)\n<\/block>/.exec(userText);
  if (!m) return undefined;
  return (m[1] ?? '')
    .split('\n')
    .map((l) => l.replace(/^\s*\d+ \| ?/, ''))
    .join('\n');
}

/** The simulated model's replacement for a block (see ModelFix). */
export function modelAnswer(fix: ModelFix, block: string): string {
  if ('replace' in fix) return block.replace(new RegExp(fix.replace[0], 'g'), fix.replace[1]);
  const lines = block.split('\n');
  const at = lines.findIndex((l) => l.includes(fix.insertAbove.where));
  if (at < 0) return block;
  const indent = /^\s*/.exec(lines[at] ?? '')?.[0] ?? '';
  lines.splice(at, 0, `${indent}${fix.insertAbove.line}`);
  return lines.join('\n');
}
