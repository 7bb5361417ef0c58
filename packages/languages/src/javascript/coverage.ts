import { heapMiB, type PlanContext, type PlannedStep } from '../plan.js';
import { TRACE_MARK } from '../trace-mark.js';
import { isTestFile } from './files.js';

/** Tests run one by one at most; beyond, the spectrum is left out rather than the run made long. */
const MAX_TESTS = 20;

/**
 * Runs each test of the project's node:test files alone (`--test-name-pattern`) with V8's own
 * coverage (`NODE_V8_COVERAGE`), and prints, per test, whether it passed and which lines of the
 * project's files ran: a line ran when the innermost V8 range holding its first character has a count.
 * The same output format as the python tracer, so one parser reads both.
 *
 * Two switches serve TypeScript (its adapter's trace step): HARDFIX_TRACE_COMPILE, the compiler's
 * command line (JSON) run first, and HARDFIX_TRACE_MAPPED, the compiled output's folder: then only its
 * files count, each covered line mapped back to its .ts line through the compiler's source map.
 */
const COVERAGE_SCRIPT = `
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { SourceMap } = require("node:module");
const { pathToFileURL } = require("node:url");
const root = process.cwd() + path.sep;
const out = [];
let count = 0;
if (process.env.HARDFIX_TRACE_COMPILE) {
  if (!fs.existsSync("package.json")) fs.writeFileSync("package.json", '{"type":"module"}\\n');
  const compiled = spawnSync(process.execPath, JSON.parse(process.env.HARDFIX_TRACE_COMPILE), { stdio: "ignore", timeout: 8000 });
  if (compiled.status !== 0) process.exit(0);
}
const mappedDir = process.env.HARDFIX_TRACE_MAPPED ? process.env.HARDFIX_TRACE_MAPPED + "/" : undefined;
const escape = (s) => s.replace(/[.*+?^\${}()|[\\]\\\\]/g, "\\\\$&");
for (const file of process.argv.slice(1)) {
  const list = spawnSync(process.execPath, ["--test", "--test-reporter=tap", file], { encoding: "utf8", timeout: 5000 });
  const names = new Set();
  for (const m of (list.stdout || "").matchAll(/^\\s*(?:not )?ok \\d+ - (.+?)(?: # (?:SKIP|TODO)\\b.*)?$/gm)) names.add(m[1]);
  for (const name of names) {
    if (++count > ${MAX_TESTS}) break;
    const dir = fs.mkdtempSync(path.join(root, ".hardfix-cov-"));
    const run = spawnSync(process.execPath, ["--test", "--test-reporter=tap", "--test-name-pattern=^" + escape(name) + "$", file],
      { encoding: "utf8", timeout: 5000, env: { ...process.env, NODE_V8_COVERAGE: dir } });
    const lines = new Set();
    for (const f of fs.readdirSync(dir)) {
      let report;
      try { report = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")); } catch { continue; }
      for (const script of report.result || []) {
        if (!script.url.startsWith(pathToFileURL(root).href)) continue;
        const rel = decodeURIComponent(script.url.slice(pathToFileURL(root).href.length));
        if (rel.includes("node_modules")) continue;
        if (mappedDir ? !rel.startsWith(mappedDir) : rel.startsWith(".hardfix")) continue;
        let source;
        try { source = fs.readFileSync(path.join(root, rel), "utf8"); } catch { continue; }
        let map;
        if (mappedDir) {
          try { map = new SourceMap(JSON.parse(fs.readFileSync(path.join(root, rel + ".map"), "utf8"))); } catch { continue; }
        }
        const ranges = script.functions.flatMap((fn) => fn.ranges);
        let at = 0;
        source.split("\\n").forEach((text, i) => {
          const first = at + (text.length - text.trimStart().length);
          at += text.length + 1;
          if (text.trim() === "") return;
          let inner;
          for (const r of ranges)
            if (r.startOffset <= first && first < r.endOffset && (!inner || r.endOffset - r.startOffset < inner.endOffset - inner.startOffset)) inner = r;
          if (!inner || inner.count === 0) return;
          if (!map) return void lines.add(rel + "\\u0000" + (i + 1));
          const origin = map.findEntry(i, text.length - text.trimStart().length);
          if (!origin || !origin.originalSource) return;
          const from = path.relative(root, path.resolve(path.dirname(path.join(root, rel)), origin.originalSource));
          lines.add(from + "\\u0000" + (origin.originalLine + 1));
        });
      }
    }
    const failed = run.status !== 0 || /^\\s*not ok \\d+ /m.test(run.stdout || "");
    out.push("${TRACE_MARK} " + JSON.stringify({ failed, lines: [...lines].map((l) => { const [f, n] = l.split("\\u0000"); return [f, Number(n)]; }) }));
  }
}
process.stdout.write(out.join("\\n") + "\\n");
`;

/** The coverage run of a javascript project, or undefined when it has no test files. */
export function javascriptCoverageStep(ctx: PlanContext<'node'>): PlannedStep | undefined {
  const tests = ctx.files.map((f) => f.path).filter((p) => isTestFile(p));
  if (tests.length === 0) return undefined;
  // Every node it starts inherits the heap cap, as the verifying test step's do.
  return nodeCoverageStep(ctx.interpreters.node, tests, {
    NODE_OPTIONS: `--max-old-space-size=${heapMiB(ctx.limits)}`,
  });
}

/** The coverage script over these node:test files (TypeScript's: with its switches in `env`). */
export function nodeCoverageStep(
  node: string,
  testFiles: string[],
  env: Record<string, string>,
): PlannedStep {
  return { phase: 'test', command: [node, '-e', COVERAGE_SCRIPT, ...testFiles], env, memory: 'runtime' };
}
