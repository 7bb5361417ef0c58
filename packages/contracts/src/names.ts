import { z } from 'zod';

/** Project names become directory names under DELIVERY_DIR, so they are kept to a safe alphabet. */
export const projectNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must match ^[a-z0-9][a-z0-9_-]{0,63}$');

export const LANGUAGES = ['python', 'javascript', 'java'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

/** Where a project starts when it does not name an entry (README, "The sandbox"), in order. */
export const DEFAULT_ENTRIES: Record<Language, readonly [string, ...string[]]> = {
  python: ['main.py'],
  javascript: ['index.js', 'main.js'],
  java: ['Main.java'],
};

/**
 * A path inside a project. Generated and imported files are untrusted, so a path may never
 * leave the workspace: relative, no `..` segment, no backslash, no NUL, no empty segment.
 */
export const filePathSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .refine((p) => !p.startsWith('/'), 'must be relative, not absolute')
  .refine((p) => !p.includes('\\'), 'must not contain a backslash')
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .refine((p) => !/^[a-zA-Z]:/.test(p), 'must not start with a drive letter')
  .refine((p) => p.split('/').every((s) => s !== '..'), 'must not contain a ".." segment')
  .refine((p) => p.split('/').every((s) => s !== '' && s !== '.'), 'must not contain empty or "." segments');

/** One megabyte per file keeps a single project well below the API body limit. */
export const MAX_FILE_BYTES = 1_000_000;
export const MAX_FILES = 200;
/** A whole project: well inside the sandbox's 64 MiB workspace, so a project always fits where it runs. */
export const MAX_PROJECT_BYTES = 8_000_000;

export const projectFileSchema = z.object({
  path: filePathSchema,
  content: z.string().max(MAX_FILE_BYTES, `must be at most ${MAX_FILE_BYTES} characters`),
});
export type ProjectFile = z.infer<typeof projectFileSchema>;

export const projectFilesSchema = z
  .array(projectFileSchema)
  .min(1, 'must contain at least one file')
  .max(MAX_FILES, `must contain at most ${MAX_FILES} files`)
  .refine((files) => new Set(files.map((f) => f.path)).size === files.length, 'must not repeat a path')
  .refine((files) => {
    const paths = new Set(files.map((f) => f.path));
    return files.every(
      (f) => !f.path.split('/').some((_, i, parts) => i > 0 && paths.has(parts.slice(0, i).join('/'))),
    );
  }, 'must not put a file inside another file (a path is also a folder of another path)')
  .refine(
    (files) => files.reduce((n, f) => n + Buffer.byteLength(f.content), 0) <= MAX_PROJECT_BYTES,
    `must hold at most ${MAX_PROJECT_BYTES} bytes in all`,
  );
