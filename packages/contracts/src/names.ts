import { canonicalLanguage, LANGUAGES, type Language, perLanguage } from '@hardfix/languages';
import { z } from 'zod';

/** Project names become directory names under DELIVERY_DIR, so they are kept to a safe alphabet. */
export const projectNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must match ^[a-z0-9][a-z0-9_-]{0,63}$');

// The languages are the registry's (packages/languages): adding one there adds it to the API's enum.
export { LANGUAGES, type Language };
// The API takes the canonical names only (`go`, not `golang`); an alias or another spelling is refused
// with the name to use instead.
export const languageSchema = z.enum(LANGUAGES, {
  error: (issue) => {
    const canonical = typeof issue.input === 'string' ? canonicalLanguage(issue.input) : undefined;
    return canonical
      ? `"${issue.input}" is not a language name the API takes; use "${canonical}"`
      : undefined;
  },
});

/** Where a project starts when it does not name an entry (README, "The sandbox"), in order. */
export const DEFAULT_ENTRIES = perLanguage((a) => a.files.defaultEntries);

/**
 * Folders and files other tools treat as their own configuration and act on when a folder is opened:
 * git runs `core.fsmonitor`, hooks and filters from `.git` (a `.git` file can point elsewhere), likewise
 * Mercurial and Subversion; editors run `.vscode` tasks and `.idea` run configurations; direnv loads
 * `.envrc`; npm and pip read `.npmrc` / `.pypirc` (scripts, registries, credentials). A delivered
 * project is opened by people and their tools, so none of these may be part of it.
 */
export const CONTROL_NAMES = [
  '.git',
  '.hg',
  '.svn',
  '.vscode',
  '.idea',
  '.envrc',
  '.npmrc',
  '.pypirc',
] as const;

/**
 * The control name a path segment stands for, if any. Compared as a case-insensitive file system and
 * Windows would (`.GIT`, `.git.` and `.git ` all open `.git`), and git's own 8.3 short name `git~1`.
 */
function controlName(segment: string): string | undefined {
  const name = segment.toLowerCase().replace(/[. ]+$/, '');
  if (name === 'git~1') return '.git';
  return CONTROL_NAMES.find((c) => c === name);
}

/**
 * Why a project file path is refused, or undefined when it is accepted. Generated and imported files
 * are untrusted, so a path may never leave the workspace (relative, no `..` segment, no backslash, no
 * NUL, no empty or dots-only segment) nor carry another tool's control folder (CONTROL_NAMES). This is
 * the one rule: the API, the model's answers, the sandbox and delivery all apply it.
 */
export function filePathProblem(p: string): string | undefined {
  if (p.length === 0) return 'must not be empty';
  if (p.length > 256) return 'must be at most 256 characters';
  if (p.startsWith('/')) return 'must be relative, not absolute';
  if (p.includes('\\')) return 'must not contain a backslash';
  if (p.includes('\0')) return 'must not contain NUL';
  if (/^[a-zA-Z]:/.test(p)) return 'must not start with a drive letter';
  const segments = p.split('/');
  if (segments.some((s) => s === '..')) return 'must not contain a ".." segment';
  if (segments.some((s) => s === '' || s === '.')) return 'must not contain empty or "." segments';
  // `...` and longer: no file system needs them, Windows cannot hold them, and tools read them as paths.
  if (segments.some((s) => /^\.+$/.test(s))) return 'must not contain a segment made only of dots';
  for (const segment of segments) {
    const control = controlName(segment);
    if (control)
      return `${JSON.stringify(p)} is refused: ${control} is another tool's control ${
        control === segment ? 'name' : `name (as ${JSON.stringify(segment)})`
      }, which runs code or reads settings when the delivered project is opened`;
  }
  return undefined;
}

/** A path inside a project: see filePathProblem. */
export const filePathSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .superRefine((p, ctx) => {
    // The length checks above already spoke (and show in the OpenAPI document); said once is enough.
    if (p.length === 0 || p.length > 256) return;
    const problem = filePathProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

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
