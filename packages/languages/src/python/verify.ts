import { findEntry, type PlanContext, type VerifyPlan } from '../plan.js';
import { TEST_MARK } from '../types.js';
import { ENTRIES, isTestFile } from './files.js';

/**
 * pytest is not installed in the sandbox's Debian python, so tests run with unittest. This runner
 * also collects pytest-style module-level `test_*` functions without parameters, which covers the
 * plain-`assert` tests models like to write; fixtures and parametrize are not supported.
 *
 * The tests run in the same process as the code they test, which can replace unittest's own
 * classes (`unittest.TestResult.addFailure = lambda *a: None` makes every failure vanish from the
 * count). So the verdict is not unittest's: before any project module loads, this runner takes what it
 * needs (its own result class over unittest's, os.write, os._exit, a copy of stderr, every test
 * module's compiled code), records every outcome itself, and at the end checks that every attribute of
 * unittest's classes and modules, and the import system, is still the one it started with. It writes
 * its own count (and each replaced attribute) after unittest's summary and exits with its own status,
 * skipping atexit hooks the project could have registered; test-verdict.ts compares the two counts and
 * the status.
 */
const TEST_RUNNER = `
import builtins, importlib, importlib.util, inspect, os, sys, unittest
import unittest.case, unittest.loader, unittest.result, unittest.runner, unittest.suite
_write, _exit, _marks = os.write, os._exit, os.dup(2)
# Every test module's code, compiled before any of them (or the project) runs: a test module loaded
# after the project's code cannot be rewritten on its way in (an import hook, the file changed on disk).
_codes = {}
for name in sys.argv[1:]:
    path = os.path.abspath(name.replace(".", "/") + ".py")
    try:
        with open(path, "rb") as f:
            _codes[name] = (path, compile(f.read(), path, "exec", dont_inherit=True))
    except Exception:
        pass
_import, _meta_path, _path_hooks = builtins.__import__, list(sys.meta_path), list(sys.path_hooks)
_modules = {m.__name__: m for m in (unittest, unittest.case, unittest.loader, unittest.result, unittest.runner, unittest.suite)}
_classes = {f"{c.__module__}.{c.__qualname__}": c for c in (unittest.case.TestCase, unittest.case.FunctionTestCase,
    unittest.case._Outcome, unittest.result.TestResult, unittest.runner.TextTestResult, unittest.runner.TextTestRunner,
    unittest.suite.BaseTestSuite, unittest.suite.TestSuite, unittest.loader.TestLoader)}
_counts = {"run": 0, "failures": 0, "errors": 0, "skipped": 0, "expected": 0, "unexpected": 0}
_base = unittest.runner.TextTestResult
_start, _fail, _error, _skip, _xfail, _xpass, _sub = (_base.startTest, _base.addFailure, _base.addError,
    _base.addSkip, _base.addExpectedFailure, _base.addUnexpectedSuccess, _base.addSubTest)
_issubclass = issubclass

class _Result(_base):
    def startTest(self, test):
        _counts["run"] += 1
        _start(self, test)
    def addFailure(self, test, err):
        _counts["failures"] += 1
        _fail(self, test, err)
    def addError(self, test, err):
        _counts["errors"] += 1
        _error(self, test, err)
    def addSkip(self, test, reason):
        _counts["skipped"] += 1
        _skip(self, test, reason)
    def addExpectedFailure(self, test, err):
        _counts["expected"] += 1
        _xfail(self, test, err)
    def addUnexpectedSuccess(self, test):
        _counts["unexpected"] += 1
        _xpass(self, test)
    def addSubTest(self, test, subtest, err):
        if err is not None:
            _counts["failures" if _issubclass(err[0], test.failureException) else "errors"] += 1
        _sub(self, test, subtest, err)

_classes["__main__._Result"] = _Result
_before = {name: dict(vars(o)) for name, o in [*_modules.items(), *_classes.items()]}
_runner = unittest.runner.TextTestRunner(stream=sys.stderr, verbosity=1, resultclass=_Result)

suite = unittest.TestSuite()
loader = unittest.TestLoader()
for name in sys.argv[1:]:
    try:
        path, code = _codes[name]
        module = importlib.util.module_from_spec(importlib.util.spec_from_file_location(name, path))
        sys.modules[name] = module
        exec(code, module.__dict__)
    except Exception:
        # unittest reports a module that does not import as one failed test, so the counts stay honest.
        sys.modules.pop(name, None)
        suite.addTests(loader.loadTestsFromName(name))
        continue
    suite.addTests(loader.loadTestsFromModule(module))
    for attr, fn in sorted(vars(module).items()):
        if (attr.startswith("test") and inspect.isfunction(fn) and fn.__module__ == module.__name__
                and not inspect.signature(fn).parameters):
            suite.addTest(unittest.FunctionTestCase(fn, description=f"{name}.{attr}"))
_runner.run(suite)

_replaced = [f"{name}.{key}" for name, before in _before.items()
             for key, value in before.items() if vars(_modules.get(name) or _classes[name]).get(key) is not value]
# unittest itself sets these on a test class it runs (FunctionTestCase is one).
_replaced += [f"{name}.{key}" for name, c in _classes.items() for key in vars(c)
              if key not in _before[name] and key not in ("tearDown_exceptions", "_classSetupFailed")]
_replaced += [f"sys.modules[{name!r}]" for name, m in _modules.items() if sys.modules.get(name) is not m]
_replaced += ["builtins.__import__"] if builtins.__import__ is not _import else []
_replaced += [f"sys.{name}" for name, before, now in (("meta_path", _meta_path, sys.meta_path), ("path_hooks", _path_hooks, sys.path_hooks))
              if len(before) != len(now) or any(a is not b for a, b in zip(before, now))]
for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
    try:
        stream.flush()
    except Exception:
        pass
for name in _replaced:
    _write(_marks, f"${TEST_MARK} tampered {name}\\n".encode())
c = _counts
_write(_marks, (f"${TEST_MARK} python run={c['run']} failures={c['failures']} errors={c['errors']} skipped={c['skipped']}"
                f" expected={c['expected']} unexpected={c['unexpected']}\\n").encode())
_exit(0 if not _replaced and c["failures"] + c["errors"] + c["unexpected"] == 0 else 1)
`;

export function planPython(ctx: PlanContext<'python3'>): VerifyPlan {
  const found = findEntry(ctx, ENTRIES);
  if ('missing' in found) return found.missing;
  const { entry } = found;
  const python = ctx.interpreters.python3;
  const sources = ctx.files.map((f) => f.path).filter((p) => p.endsWith('.py'));
  const testModules = sources.filter((p) => isTestFile(p)).map((p) => p.slice(0, -3).replaceAll('/', '.'));
  return {
    kind: 'steps',
    steps: [
      { phase: 'compile', command: [python, '-m', 'py_compile', ...sources] },
      ...(testModules.length > 0
        ? [{ phase: 'test' as const, command: [python, '-c', TEST_RUNNER, ...testModules] }]
        : []),
      { phase: 'run', command: [python, entry] },
    ],
  };
}
