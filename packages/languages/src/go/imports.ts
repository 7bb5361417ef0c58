/**
 * Go's imports are `import "x"` lines or one `import ( … )` block whose lines are bare specs
 * (`"strings"`, `sb "strings"`; an alias is never a keyword: `return "x"` is code). A learnt import is
 * one spec, in either form.
 */
export const IMPORT_LINE =
  /^\s*(?:import\s+)?(?:(?!(?:return|case|go|defer|else|var|const|type|import)\b)[\w.]+\s+)?"[\w./-]+"\s*(?:\/\/.*)?$/;

const SPEC = /^(?:import\s+)?((?:[\w.]+\s+)?"([\w./-]+)")\s*(?:\/\/.*)?$/;

/** The imported paths of a file, from its import lines and blocks. */
function importedPaths(lines: readonly string[]): Set<string> {
  const paths = new Set<string>();
  let inBlock = false;
  for (const raw of lines) {
    const line = raw.trim();
    if (/^import\s*\($/.test(line)) inBlock = true;
    else if (inBlock && line === ')') inBlock = false;
    else if (inBlock || line.startsWith('import ')) {
      const path = SPEC.exec(line)?.[2];
      if (path) paths.add(path);
    }
  }
  return paths;
}

/**
 * Adds the imports a file lacks: into its `import ( … )` block, else as `import "x"` lines after its
 * last import line, else below its package clause. A spec already imported (in any form) is skipped.
 */
export function addGoImports(content: string, imports: readonly string[]): string {
  const lines = content.split('\n');
  const have = importedPaths(lines);
  const specs: string[] = [];
  for (const i of imports) {
    const m = SPEC.exec(i.trim());
    if (!m?.[1] || !m[2] || have.has(m[2])) continue;
    have.add(m[2]);
    specs.push(m[1]);
  }
  if (specs.length === 0) return content;
  const open = lines.findIndex((l) => /^import\s*\(\s*$/.test(l));
  if (open >= 0) {
    const close = lines.findIndex((l, i) => i > open && l.trim() === ')');
    if (close > open) {
      lines.splice(close, 0, ...specs.map((s) => `\t${s}`));
      return lines.join('\n');
    }
  }
  const lastImport = lines.findLastIndex((l) => /^import\s+(?:[\w.]+\s+)?"/.test(l));
  if (lastImport >= 0) {
    lines.splice(lastImport + 1, 0, ...specs.map((s) => `import ${s}`));
    return lines.join('\n');
  }
  const pkg = lines.findIndex((l) => /^package\s+\w+/.test(l));
  lines.splice(pkg + 1, 0, '', ...specs.map((s) => `import ${s}`));
  return lines.join('\n');
}
