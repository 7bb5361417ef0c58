import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Language, languageSchema, type ProjectFile } from '@hardfix/contracts';
import { z } from 'zod';
import { readTree } from '../lib/bench-common.js';

/**
 * A program of the localisation corpus (bench/localise-corpus/<id>/): `program/` holds the broken
 * program with its tests, `fault.json` its language, entry, what kind of fault it is, and the one line
 * that is wrong with its correct text. Adding a language's programs is adding folders: nothing here
 * names a language.
 */
const faultFileSchema = z.object({
  language: languageSchema,
  entry: z.string().min(1),
  /** Free labels for the report: multi-function, caller, callee, assertion, recursion, helper-file, test-only-frames. */
  kinds: z.array(z.string().min(1)).min(1),
  note: z.string().min(1),
  fault: z.object({
    file: z.string().min(1),
    line: z.number().int().positive(),
    /** The correct text of that line (the same line count: a one-line fault). */
    fixed: z.string(),
  }),
});

export interface LocaliseProgram {
  id: string;
  language: Language;
  entry: string;
  kinds: string[];
  note: string;
  fault: { file: string; line: number; fixed: string };
  /** The broken program and its tests. */
  files: ProjectFile[];
  /** The same with the faulty line corrected. */
  fixedFiles: ProjectFile[];
}

export async function loadCorpus(root: string): Promise<LocaliseProgram[]> {
  const ids = (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  const programs: LocaliseProgram[] = [];
  for (const id of ids.sort()) {
    const parsed = faultFileSchema.safeParse(
      JSON.parse(await readFile(join(root, id, 'fault.json'), 'utf8')),
    );
    if (!parsed.success) throw new Error(`${id}/fault.json: ${parsed.error.issues[0]?.message}`);
    const meta = parsed.data;
    const files = await readTree(join(root, id, 'program'));
    const faulty = files.find((f) => f.path === meta.fault.file);
    if (!faulty) throw new Error(`${id}: fault.file ${meta.fault.file} is not in program/`);
    const lines = faulty.content.split('\n');
    if (meta.fault.line > lines.length || lines[meta.fault.line - 1] === meta.fault.fixed)
      throw new Error(`${id}: line ${meta.fault.line} of ${meta.fault.file} is missing or already correct`);
    lines[meta.fault.line - 1] = meta.fault.fixed;
    const fixedFiles = files.map((f) => (f === faulty ? { path: f.path, content: lines.join('\n') } : f));
    programs.push({ id, ...meta, files, fixedFiles });
  }
  return programs;
}
