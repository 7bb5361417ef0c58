import type { PlanContext, PlannedStep } from '../plan.js';
import { TRACE_MARK } from '../trace-mark.js';
import { isTestFile } from './files.js';

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
export function pythonTraceStep(ctx: PlanContext<'python3'>): PlannedStep | undefined {
  const python = ctx.interpreters.python3;
  const modules = ctx.files
    .map((f) => f.path)
    .filter((p) => p.endsWith('.py') && isTestFile(p))
    .map((p) => p.slice(0, -3).replaceAll('/', '.'));
  if (modules.length === 0) return undefined;
  return { phase: 'test', command: [python, '-c', TRACE_SCRIPT, ...modules] };
}
