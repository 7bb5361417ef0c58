import type { PlanContext, PlannedStep } from '../plan.js';
import { TRACE_MARK } from '../trace-mark.js';
import { isTestFile } from './files.js';
import { CACHES, ENSURE_GO_MOD, GO_ENV, STATE_DIR } from './verify.js';

/** Tests run one by one at most; beyond, the spectrum is left out rather than the run made long. */
const MAX_TESTS = 20;

/**
 * Go's own statement coverage, each test alone: every package that has tests is built once as a
 * coverage-instrumented test binary (`go test -c -cover -coverpkg=./...`, so the code under test in
 * other packages counts too), then each `Test…`/`Example…` it lists runs alone with
 * `-test.coverprofile`, and the profile's blocks that ran become the lines of one TRACE_MARK line, the
 * format the python and javascript tracers print. Plain POSIX sh (the sandbox has no awk of its own:
 * /usr/bin/awk is a link through /etc/alternatives). `$0` is the go binary, the rest the test packages'
 * directories.
 */
const TRACE_SCRIPT = [
  CACHES,
  ENSURE_GO_MOD,
  'mod=',
  'while read -r key value rest; do if [ "$key" = module ]; then mod=$value; break; fi; done < go.mod',
  'go=$0',
  'n=0',
  'k=0',
  `profile="$PWD/${STATE_DIR}/trace-cover.out"`,
  'for dir in "$@"; do',
  '  k=$((k + 1))',
  `  bin="$PWD/${STATE_DIR}/trace-$k.test"`,
  '  "$go" test -c -cover -covermode=set -coverpkg=./... -o "$bin" "./$dir" >/dev/null 2>&1 || continue',
  '  [ -x "$bin" ] || continue',
  `  for t in $(cd "$dir" && "$bin" -test.list '.*' 2>/dev/null); do`,
  '    case "$t" in Test*|Example*) ;; *) continue ;; esac',
  '    n=$((n + 1))',
  `    [ "$n" -gt ${MAX_TESTS} ] && exit 0`,
  '    rm -f "$profile"',
  '    if (cd "$dir" && "$bin" -test.run "^$t\\$" -test.count=1 -test.coverprofile="$profile" >/dev/null 2>&1); then failed=false; else failed=true; fi',
  '    lines= sep=',
  '    if [ -f "$profile" ]; then',
  '      while read -r loc stmts count; do',
  '        [ "$loc" = mode: ] && continue',
  '        [ "$count" = 0 ] && continue',
  // file:startLine.startCol,endLine.endCol, the file named by its import path.
  `        f=\${loc%%:*} r=\${loc#*:}
        s=\${r%%.*} e=\${r#*,}
        e=\${e%%.*}
        f=\${f#"$mod"/}`,
  '        i=$s',
  '        while [ "$i" -le "$e" ]; do lines="$lines$sep[\\"$f\\",$i]"; sep=,; i=$((i + 1)); done',
  '      done < "$profile"',
  '    fi',
  `    echo "${TRACE_MARK} {\\"failed\\":$failed,\\"lines\\":[$lines]}"`,
  '  done',
  'done',
].join('\n');

/** The coverage run of a go project, or undefined when it has no test files. */
export function goTraceStep(ctx: PlanContext<'go'>): PlannedStep | undefined {
  const dirs = [
    ...new Set(
      ctx.files
        .filter((f) => isTestFile(f.path))
        .map((f) => (f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '.')),
    ),
  ];
  if (dirs.length === 0) return undefined;
  return {
    phase: 'test',
    command: ['/bin/sh', '-c', TRACE_SCRIPT, ctx.interpreters.go, ...dirs],
    env: GO_ENV,
    memory: 'runtime',
  };
}
