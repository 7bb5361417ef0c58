/**
 * Maps a path printed by a sandboxed program (`/sandbox/src/a.py`, `file:///sandbox/a.mjs`,
 * `./a.py`, or a host path in insecure-process mode) to a project-relative path, or undefined
 * when it is not one of the project's files (a library or runtime frame).
 */
export function toProjectPath(raw: string, files: { path: string }[], roots: string[]): string | undefined {
  let p = raw.trim();
  if (p.startsWith('file://')) {
    p = p.slice('file://'.length);
    try {
      p = decodeURI(p);
    } catch {
      // A malformed escape (`%ZZ`) is not a path the program's files could have: keep it as printed.
    }
  }
  for (const root of roots) {
    const prefix = root.endsWith('/') ? root : `${root}/`;
    if (p.startsWith(prefix)) {
      p = p.slice(prefix.length);
      break;
    }
  }
  while (p.startsWith('./')) p = p.slice(2);
  return files.some((f) => f.path === p) ? p : undefined;
}
