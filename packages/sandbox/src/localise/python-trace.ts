import { isTestFile, type Language } from '@hardfix/contracts';
import type { PlannedStep } from '../verify/plan.js';
import type { TestSpectrum } from './ochiai.js';

/** Marks the tracer's lines in the output (the program could print them too: see spectrum.ts). */
export const TRACE_MARK = '[hardfix-trace]';
/** Lines kept per test: a test that runs more of the project than this is cut, not the run. */
const MAX_LINES_PER_TEST = 5_000;

/**
 * Runs every test of the project's test modules one by one under sys.settrace and prints, per test,
 * whether it passed and which lines of the project's own files it ran: the spectrum Ochiai ranks.
 * Collects what the verifying runner collects (unittest cases and module-level `test_*` functions
 * without parameters). Only the verdict's runner decides pass or fail; this run only localises.
 */
const TRACE_SCRIPT = `
import importlib.util, inspect, json, os, sys, unittest
_root = os.path.abspath(".") + os.sep
_write, _out = os.write, os.dup(1)
_hits = set()
def _trace(frame, event, arg):
    name = frame.f_code.co_filename
    if not name.startswith(_root):
        return None
    if event == "line" and len(_hits) < ${MAX_LINES_PER_TEST}:
        _hits.add((name[len(_root):], frame.f_lineno))
    return _trace
def _tests(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from _tests(t)
        else:
            yield t
loader = unittest.TestLoader()
for name in sys.argv[1:]:
    suite = unittest.TestSuite()
    try:
        path = os.path.abspath(name.replace(".", "/") + ".py")
        module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path))
        sys.modules[name] = module
        module.__spec__.loader.exec_module(module)
        suite.addTests(loader.loadTestsFromModule(module))
        for attr, fn in sorted(vars(module).items()):
            if (attr.startswith("test") and inspect.isfunction(fn) and fn.__module__ == module.__name__
                    and not inspect.signature(fn).parameters):
                suite.addTest(unittest.FunctionTestCase(fn, description=f"{name}.{attr}"))
    except BaseException:
        continue
    for test in _tests(suite):
        _hits.clear()
        result = unittest.TestResult()
        sys.settrace(_trace)
        try:
            test.run(result)
        except BaseException:
            result.errors.append((test, ""))
        finally:
            sys.settrace(None)
        lines = sorted(_hits)
        _write(_out, ("${TRACE_MARK} " + json.dumps({"failed": not result.wasSuccessful(), "lines": lines}) + "\\n").encode())
sys.stdout.flush()
os._exit(0)
`;

/** The traced test run of a python project, or undefined when it has no test modules. */
export function pythonTraceStep(files: { path: string }[], python: string): PlannedStep | undefined {
  const modules = files
    .map((f) => f.path)
    .filter((p) => p.endsWith('.py') && isTestFile('python', p))
    .map((p) => p.slice(0, -3).replaceAll('/', '.'));
  if (modules.length === 0) return undefined;
  return { phase: 'test', command: [python, '-c', TRACE_SCRIPT, ...modules] };
}

/**
 * The spectra a traced run printed (this tracer's, or another language's in the same format), test
 * files left out: they are the spec, never the fault.
 */
export function parseTrace(stdout: string, files: { path: string }[], language: Language): TestSpectrum[] {
  const known = new Set(files.filter((f) => !isTestFile(language, f.path)).map((f) => f.path));
  const out: TestSpectrum[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(`${TRACE_MARK} `)) continue;
    try {
      const parsed = JSON.parse(line.slice(TRACE_MARK.length + 1)) as { failed?: unknown; lines?: unknown };
      if (typeof parsed.failed !== 'boolean' || !Array.isArray(parsed.lines)) continue;
      const lines = parsed.lines
        .filter(
          (l): l is [string, number] =>
            Array.isArray(l) && typeof l[0] === 'string' && Number.isSafeInteger(l[1]),
        )
        .filter(([file]) => known.has(file))
        .map(([file, n]) => `${file}:${n}`);
      out.push({ failed: parsed.failed, lines });
    } catch {
      // A line the program printed in the tracer's format but not its JSON: not a spectrum.
    }
  }
  return out;
}
