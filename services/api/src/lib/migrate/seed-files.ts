import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  canonicalLanguage,
  filePathSchema,
  type Language,
  type LegacyFixRecord,
  MAX_FILE_BYTES,
  MAX_FILES,
  type ProjectFile,
  projectNameSchema,
} from '@hardfix/contracts';
import { InvalidFixRecordError, parseFixRecords } from '@hardfix/core';
import { languageOfPath } from '@hardfix/languages';
import { z } from 'zod';

/** A seed file that cannot be read as its format: named by file, line and (when known) record. */
export class SeedFileError extends Error {
  readonly code = 'invalid_seed_file';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    reason: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${reason}`);
    this.name = 'SeedFileError';
  }
}

const errorDataSchema = z.object({
  error_type: z.string().min(1),
  error_message: z.string().default(''),
  code_block: z.string().optional(),
  language: z.string().optional(),
  error_signature: z.string().optional(),
});

/** active_fix_attempts.json: projects in the persistent fix queue (the seed guide's fields). */
const activeSchema = z.object({
  project_name: projectNameSchema,
  attempt_count: z.number().int().nonnegative().default(0),
  error_data: errorDataSchema,
  project_dir: z.string().optional(),
});

/** retry_queue.json: projects waiting for a normal retry. */
const retrySchema = z.object({
  project_name: projectNameSchema,
  language: z.string().optional(),
  retry_count: z.number().int().nonnegative().default(0),
  last_error: z.string().optional(),
  project_dir: z.string().optional(),
});

/** abandoned_projects.json: given up on; they go to manual review. */
const abandonedSchema = z.object({
  project_name: projectNameSchema,
  language: z.string().optional(),
  reason: z.string().optional(),
  error_data: errorDataSchema.optional(),
  project_dir: z.string().optional(),
});

export type ActiveRecord = z.infer<typeof activeSchema>;
export type RetryRecord = z.infer<typeof retrySchema>;
export type AbandonedRecord = z.infer<typeof abandonedSchema>;

export const SEED_FILES = {
  fixes: 'hard_fixes_database.json',
  active: 'active_fix_attempts.json',
  retry: 'retry_queue.json',
  abandoned: 'abandoned_projects.json',
} as const;

export interface SeedFolder {
  fixes: LegacyFixRecord[];
  active: ActiveRecord[];
  retry: RetryRecord[];
  abandoned: AbandonedRecord[];
  /** Which of the four files were there. */
  found: string[];
}

/** Reads and validates all four files before anything is written; a missing file counts as empty. */
export async function readSeedFolder(folder: string): Promise<SeedFolder> {
  const found: string[] = [];
  const load = async (name: string): Promise<{ data: unknown[]; text: string } | undefined> => {
    const file = path.join(folder, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    found.push(name);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new SeedFileError(
        name,
        jsonErrorLine(err as Error, text),
        `not valid JSON (${(err as Error).message})`,
      );
    }
    if (!Array.isArray(data)) throw new SeedFileError(name, 1, 'must be a JSON array');
    return { data, text };
  };
  const records = <T>(
    name: string,
    loaded: { data: unknown[]; text: string } | undefined,
    schema: z.ZodType<T>,
  ) =>
    (loaded?.data ?? []).map((raw, i) => {
      const result = schema.safeParse(raw);
      if (result.success) return result.data;
      const issue = result.error.issues[0];
      throw new SeedFileError(
        name,
        recordLine(loaded?.text ?? '', i),
        `record ${i}${issue?.path.length ? `, field ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'is invalid'}`,
      );
    });

  const fixesFile = await load(SEED_FILES.fixes);
  let fixes: LegacyFixRecord[] = [];
  try {
    fixes = parseFixRecords(fixesFile?.data ?? []);
  } catch (err) {
    if (!(err instanceof InvalidFixRecordError)) throw err;
    throw new SeedFileError(SEED_FILES.fixes, recordLine(fixesFile?.text ?? '', err.index), err.message);
  }
  return {
    fixes,
    active: records(SEED_FILES.active, await load(SEED_FILES.active), activeSchema),
    retry: records(SEED_FILES.retry, await load(SEED_FILES.retry), retrySchema),
    abandoned: records(SEED_FILES.abandoned, await load(SEED_FILES.abandoned), abandonedSchema),
    found,
  };
}

/** The 1-based line of a JSON.parse error: from "(line N column M)" or "at position N". */
function jsonErrorLine(err: Error, text: string): number | undefined {
  const line = /line (\d+) column \d+/.exec(err.message);
  if (line) return Number(line[1]);
  const pos = /at position (\d+)/.exec(err.message);
  if (pos) return text.slice(0, Number(pos[1])).split('\n').length;
  return undefined;
}

/** The line where the index-th element of a top-level JSON array starts (a scan aware of strings). */
function recordLine(text: string, index: number): number | undefined {
  let depth = 0;
  let inString = false;
  let count = -1;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    if (depth === 1 && c !== undefined && !/[\s,\]]/.test(c)) {
      count++;
      if (count === index) return line;
    }
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return undefined;
}

export interface FoundProject {
  files: ProjectFile[];
  language: Language | undefined;
}

/**
 * A project's files: `project_dir` (relative to the folder) or `<folder>/projects/<name>`. Undefined
 * when neither exists; files that this system would refuse (paths, size, count) are left out.
 */
export async function findProjectFiles(
  folder: string,
  name: string,
  projectDir: string | undefined,
): Promise<FoundProject | undefined> {
  const candidates = [
    projectDir ? path.resolve(folder, projectDir) : undefined,
    path.join(folder, 'projects', name),
  ];
  for (const dir of candidates) {
    if (!dir || !(await stat(dir).catch(() => undefined))?.isDirectory()) continue;
    const files: ProjectFile[] = [];
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || files.length >= MAX_FILES) continue;
      const full = path.join(entry.parentPath, entry.name);
      const rel = path.relative(dir, full).split(path.sep).join('/');
      if (rel.split('/').some((s) => s.startsWith('.') || s === '__pycache__')) continue;
      const content = await readFile(full, 'utf8');
      if (content.length > MAX_FILE_BYTES || !filePathSchema.safeParse(rel).success) continue;
      files.push({ path: rel, content });
    }
    files.sort((a, b) => a.path.localeCompare(b.path));
    if (files.length === 0) continue;
    // The first file with a language's extension (its adapter's files.extensions) tells the language.
    const language = files.map((f) => languageOfPath(f.path)).find((l) => l);
    return { files, language };
  }
  return undefined;
}

export const languageOf = (value: string | undefined): Language | undefined =>
  value ? canonicalLanguage(value) : undefined;
