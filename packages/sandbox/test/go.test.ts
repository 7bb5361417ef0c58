import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { file, makeSandbox, VERIFY_TIMEOUT_MS } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await makeSandbox();
});

// Room for a loaded 2-core box (a cold Go build is seconds; docs/benchmarks.md has the numbers).
const verify = (files: { path: string; content: string }[], entry?: string) =>
  sandbox.verify({ language: 'go', files, timeoutMs: 3 * VERIFY_TIMEOUT_MS, ...(entry ? { entry } : {}) });

const GO_MOD = file('go.mod', 'module calc', '', 'go 1.19');
const CALC = file('calc.go', 'package main', '', 'func Add(a, b int) int {', '\treturn a + b', '}');
const MAIN = file(
  'main.go',
  'package main',
  '',
  'import "fmt"',
  '',
  'func main() {',
  '\tfmt.Println(Add(1, 2))',
  '}',
);

describe('go verification (real go build, vet, test)', { timeout: 60_000 }, () => {
  it('builds, vets, tests and runs a project without go.mod in a fresh workspace', async () => {
    const result = await verify([
      MAIN,
      CALC,
      file(
        'calc_test.go',
        'package main',
        '',
        'import "testing"',
        '',
        'func TestAdd(t *testing.T) {',
        '\tif got := Add(1, 2); got != 3 {',
        '\t\tt.Errorf("Add(1, 2) = %d, want 3", got)',
        '\t}',
        '}',
        '',
        'func TestAddNegative(t *testing.T) {',
        '\tif Add(-1, -2) != -3 {',
        '\t\tt.Fatal("wrong")',
        '\t}',
        '}',
      ),
    ]);
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile', 'test', 'run']);
    expect(result.tests).toEqual({ run: 2, passed: 2, failed: 0 });
    expect(result.steps[2]?.stdout).toBe('3\n');
  });

  it('fails on the first go build error with file, line and go 1.20+ wording', async () => {
    const result = await verify([
      GO_MOD,
      file(
        'main.go',
        'package main',
        '',
        'import (',
        '\t"fmt"',
        '\t"os"',
        ')',
        '',
        'func main() {',
        '\tfmt.Println(strings.ToUpper("a"))',
        '}',
      ),
    ]);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile']);
    expect(result.error).toMatchObject({
      type: 'CompileError',
      message: '"os" imported and not used',
      file: 'main.go',
      line: 5,
    });
  });

  it('reports a go vet finding once the build passes', async () => {
    const result = await verify([
      GO_MOD,
      file(
        'main.go',
        'package main',
        '',
        'import "fmt"',
        '',
        'func main() {',
        '\tfmt.Printf("%d\\n", "x")',
        '}',
      ),
    ]);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile']);
    expect(result.error).toMatchObject({ type: 'VetError', file: 'main.go', line: 6 });
    expect(result.error?.message).toContain('fmt.Printf format %d has arg "x" of wrong type string');
  });

  it('extracts a real panic at the project frame', async () => {
    const result = await verify([
      GO_MOD,
      file(
        'main.go',
        'package main',
        '',
        'import "fmt"',
        '',
        'func pick(xs []int, i int) int {',
        '\treturn xs[i]',
        '}',
        '',
        'func main() {',
        '\tfmt.Println(pick([]int{1, 2, 3}, 5))',
        '}',
      ),
    ]);
    expect(result.steps.at(-1)?.phase).toBe('run');
    expect(result.error).toMatchObject({
      type: 'IndexOutOfRange',
      message: 'index out of range [5] with length 3',
      file: 'main.go',
    });
    // Inlined or not, the frame is the indexing line or its caller's.
    expect([6, 10]).toContain(result.error?.line);
  });

  it('reports unbounded recursion as a StackOverflow in the recursive function', async () => {
    const result = await verify([
      GO_MOD,
      file(
        'main.go',
        'package main',
        '',
        'func f(n int) int {',
        '\treturn f(n+1) + 1',
        '}',
        '',
        'func main() {',
        '\tprintln(f(0))',
        '}',
      ),
    ]);
    expect(result.error).toMatchObject({ type: 'StackOverflow', file: 'main.go' });
    // The innermost frame is the function's entry (where its stack is grown) or its recursive call.
    expect([3, 4]).toContain(result.error?.line);
  });

  it('extracts a failing test with its t.Errorf line and counts it', async () => {
    const result = await verify([
      GO_MOD,
      MAIN,
      file('calc.go', 'package main', '', 'func Add(a, b int) int {', '\treturn a + b + 1', '}'),
      file(
        'calc_test.go',
        'package main',
        '',
        'import "testing"',
        '',
        'func TestAdd(t *testing.T) {',
        '\tif got := Add(1, 2); got != 3 {',
        '\t\tt.Errorf("Add(1, 2) = %d, want 3", got)',
        '\t}',
        '}',
      ),
    ]);
    expect(result.ok).toBe(false);
    expect(result.tests).toEqual({ run: 1, passed: 0, failed: 1 });
    expect(result.error).toMatchObject({ type: 'TestFailure', message: 'Add(1, 2) = 4, want 3' });
  });

  it('does not let a printed "--- PASS" turn a failing test into a pass', async () => {
    const result = await verify([
      GO_MOD,
      MAIN,
      file(
        'calc.go',
        'package main',
        '',
        'import "fmt"',
        '',
        'func Add(a, b int) int {',
        '\tfmt.Println("--- PASS: TestAdd (0.00s)")',
        '\tfmt.Println("PASS")',
        '\treturn a + b + 1',
        '}',
      ),
      file(
        'calc_test.go',
        'package main',
        '',
        'import "testing"',
        '',
        'func TestAdd(t *testing.T) {',
        '\tif Add(1, 2) != 3 {',
        '\t\tt.Error("wrong sum")',
        '\t}',
        '}',
      ),
    ]);
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('VerdictTampered');
  });

  it('does not accept a test binary that fakes a pass and exits 0 before the testing package reports', async () => {
    const result = await verify([
      GO_MOD,
      MAIN,
      file(
        'calc.go',
        'package main',
        '',
        'import (',
        '\t"fmt"',
        '\t"syscall"',
        ')',
        '',
        'func Add(a, b int) int {',
        '\tfmt.Println("--- PASS: TestAdd (0.00s)")',
        '\tsyscall.Exit(0)',
        '\treturn a + b + 1',
        '}',
      ),
      file(
        'calc_test.go',
        'package main',
        '',
        'import "testing"',
        '',
        'func TestAdd(t *testing.T) {',
        '\tif Add(1, 2) != 3 {',
        '\t\tt.Error("wrong sum")',
        '\t}',
        '}',
      ),
    ]);
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('VerdictTampered');
  });

  it("passes the adapter's self-test: the good program verifies, the bad one is IndexOutOfRange at main.go:8", async () => {
    const health = await sandbox.selfTest(['go']);
    expect(health.languages.go).toMatchObject({ ok: true, installed: true });
  });
});
