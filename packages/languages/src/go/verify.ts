import { findEntry, type PlanContext, type VerifyPlan } from '../plan.js';
import { TEST_MARK } from '../types.js';
import { VET_HEADER } from './extract.js';
import { declaredTests, ENTRIES, isTestFile, SOURCE } from './files.js';

/** The toolchain's state (build cache, module cache) and the built program, inside the workspace. */
export const STATE_DIR = '.hardfix-go';
const BINARY = `${STATE_DIR}/program`;

/**
 * The toolchain's caches live in the workspace (it is the only writable place besides /tmp, and nothing
 * survives between runs); no module is ever downloaded (GOPROXY=off, GOFLAGS=-mod=mod keeps a go.mod
 * without go.sum working for the standard library), the installed toolchain is the one used
 * (GOTOOLCHAIN=local, for go >= 1.21) and no C compiler is needed (CGO_ENABLED=0). Go 1.19 ships its
 * standard library precompiled, so a cold cache builds hello world in a fraction of a second.
 */
export const GO_ENV: Record<string, string> = {
  GOENV: 'off',
  GOPROXY: 'off',
  GOSUMDB: 'off',
  GOFLAGS: '-mod=mod',
  GOTOOLCHAIN: 'local',
  GO111MODULE: 'on',
  CGO_ENABLED: '0',
  GOTELEMETRY: 'off',
};

/**
 * The standard library's build and vet results, filled once on the host by scripts/warm-go-cache.sh
 * (the worker image and scripts/setup.sh run it) and bound read-only into the sandbox: copied into the
 * workspace's cache before the first step, so `go vet` (which analyses every imported package) and
 * `go test` start warm. A host without it verifies the same, only slower.
 */
export const WARM_CACHE = '/var/cache/hardfix-go';

/**
 * The caches must be absolute paths: the workspace's, wherever the sandbox shows it (`$PWD`); the
 * first step seeds the build cache from the warm one.
 */
export const CACHES = [
  `export GOCACHE="$PWD/${STATE_DIR}/cache" GOPATH="$PWD/${STATE_DIR}/path" GOMODCACHE="$PWD/${STATE_DIR}/path/pkg/mod"`,
  `if [ ! -d "$GOCACHE" ] && [ -d ${WARM_CACHE} ]; then mkdir -p ${STATE_DIR} && cp -R ${WARM_CACHE} "$GOCACHE" && chmod -R u+w "$GOCACHE"; fi`,
].join('\n');

/**
 * The module line written in the sandbox when the project has no go.mod: generation adds one named
 * after the project (files.ts), but an imported project or a reviewer's files may come without.
 */
export const FALLBACK_MODULE = 'project';

/** Writes the fallback go.mod when the project has none. */
export const ENSURE_GO_MOD = `[ -f go.mod ] || printf 'module ${FALLBACK_MODULE}\\n\\ngo 1.19\\n' > go.mod || exit 1`;

/**
 * Writes a go.mod when the project has none (the go command builds nothing outside a module), then
 * `go build` of the entry's package and `go vet` of every package: the first error of the build, else
 * of vet (which also type-checks the test files), fails the compile phase. `$0` is the go binary,
 * `$1` the entry's package.
 */
const BUILD_THEN_VET = [
  CACHES,
  ENSURE_GO_MOD,
  `"$0" build -o ${BINARY} "$1" || exit $?`,
  `echo '${VET_HEADER}' >&2`,
  `exec "$0" vet ./...`,
].join('\n');

export function planGo(ctx: PlanContext<'go'>): VerifyPlan {
  const found = findEntry(ctx, ENTRIES);
  if ('missing' in found) return found.missing;
  const { entry } = found;
  const go = ctx.interpreters.go;
  const dir = entry.includes('/') ? entry.slice(0, entry.lastIndexOf('/')) : '';
  const pkg = dir ? `./${dir}` : '.';
  const tests = ctx.files.filter((f) => SOURCE.test(f.path) && isTestFile(f.path));
  const declared = declaredTests(ctx.files);
  return {
    kind: 'steps',
    steps: [
      {
        phase: 'compile',
        command: ['/bin/sh', '-c', BUILD_THEN_VET, go, pkg],
        env: GO_ENV,
        memory: 'runtime',
      },
      ...(tests.length > 0
        ? [
            {
              phase: 'test' as const,
              // The tests the source declares, for tests.ts to hold the runner's report against; then
              // the JSON events of `go test` (test2json: one event per test result, outside the program).
              command: [
                '/bin/sh',
                '-c',
                `${CACHES}\necho "${TEST_MARK} go declared $HARDFIX_GO_TESTS" >&2\nexec "$0" test -json -count=1 -vet=off ./...`,
                go,
              ],
              env: { ...GO_ENV, HARDFIX_GO_TESTS: declared.join(' ') },
              memory: 'runtime' as const,
            },
          ]
        : []),
      // A Go program reserves address space for its heap and stacks up front, like the JVM and V8.
      { phase: 'run', command: [`./${BINARY}`], memory: 'runtime' },
    ],
  };
}
