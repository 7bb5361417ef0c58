import { DEFAULT_ENTRIES, isTestFile } from '@hardfix/contracts';
import { hasFile, type PlanContext, type VerifyPlan } from './plan.js';

/**
 * pytest is not installed in the sandbox's Debian python, so tests run with unittest. This runner
 * also collects pytest-style module-level `test_*` functions without parameters, which covers the
 * plain-`assert` tests models like to write; fixtures and parametrize are not supported.
 */
const TEST_RUNNER = `
import importlib, inspect, sys, unittest
suite = unittest.TestSuite()
loader = unittest.TestLoader()
for name in sys.argv[1:]:
    try:
        module = importlib.import_module(name)
    except Exception:
        # unittest reports a module that does not import as one failed test, so the counts stay honest.
        suite.addTests(loader.loadTestsFromName(name))
        continue
    suite.addTests(loader.loadTestsFromModule(module))
    for attr, fn in sorted(vars(module).items()):
        if (attr.startswith("test") and inspect.isfunction(fn) and fn.__module__ == module.__name__
                and not inspect.signature(fn).parameters):
            suite.addTest(unittest.FunctionTestCase(fn, description=f"{name}.{attr}"))
result = unittest.TextTestRunner(stream=sys.stderr, verbosity=1).run(suite)
sys.exit(0 if result.wasSuccessful() else 1)
`;

export function planPython(ctx: PlanContext): VerifyPlan {
  const entry = ctx.entry ?? DEFAULT_ENTRIES.python[0];
  if (!hasFile(ctx, entry))
    return { kind: 'missing-entry', message: `entry point ${entry} not found`, file: entry };
  const python = ctx.interpreters.python3;
  const sources = ctx.files.map((f) => f.path).filter((p) => p.endsWith('.py'));
  const testModules = sources
    .filter((p) => isTestFile('python', p))
    .map((p) => p.slice(0, -3).replaceAll('/', '.'));
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
