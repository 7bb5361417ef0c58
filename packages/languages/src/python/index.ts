import { defineAdapter } from '../adapter.js';
import { pythonDependencies } from './dependencies.js';
import { parsePythonError } from './extract.js';
import { ENTRIES, SOURCE, TEST_FILE, TEST_NAMING } from './files.js';
import { countTests, verdictMismatch } from './tests.js';
import { pythonTraceStep } from './trace.js';
import { planPython } from './verify.js';

const KEYWORDS =
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self';

/** Python: see LanguageAdapter for what each field is for. */
export const python = defineAdapter({
  id: 'python',
  aliases: ['py'],
  displayName: 'Python',
  files: {
    extensions: ['.py'],
    defaultEntries: ENTRIES,
    source: SOURCE,
    test: TEST_FILE,
    testNaming: TEST_NAMING,
  },
  toolchain: {
    tools: { python3: '/usr/bin/python3' },
    etcEntries: [/^python3(\.\d+)?$/],
    install: 'sudo apt-get install -y python3',
  },
  verify: {
    plan: planPython,
    countTests,
    verdictMismatch,
    testRunner: 'unittest',
    // Bare `exit(`/`quit(` only when not a method or part of a longer name.
    exitCall: /\b(?:sys\.exit|os\._exit)\s*\(|(?:^|[^\w.])(?:exit|quit)\s*\(/,
    failingTestName: (output) =>
      [...output.matchAll(/^(?:FAIL|ERROR): (.+)$/gm)].at(-1)?.[1]?.trim() || undefined,
  },
  errors: {
    parse: parsePythonError,
    definition: (n) => new RegExp(`^\\s*(?:async\\s+)?(?:def|class)\\s+${n}\\b`),
    blocks: 'indent',
  },
  editPatterns: {
    comments: 'hash',
    tripleQuotedStrings: true,
    importLine:
      /^\s*(?:import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*|from\s+[\w.]+\s+import\s+.+)\s*$/,
    preamble: /^(?:#.*|from\s+__future__\s+import\s+.+)$/,
    keywords: new Set(KEYWORDS.split(' ')),
  },
  signature: {
    decisive: [],
    noise: [
      // Python 3.10+ appends suggestions that depend on the program's other names, not on the mistake.
      /\.?\s*(?:Did you mean|Did you forget to import)[^?]*\?/g,
    ],
    scopeHeaders: [/^\s*(?:async\s+)?def\s+(\w+)/],
  },
  localise: { traceStep: pythonTraceStep },
  dependencies: pythonDependencies,
  prompt: {
    rules: 'Python 3. The entry file is main.py.',
  },
  sample: (message) => ({
    path: 'main.py',
    content: `def main():\n    print("${message}")\n\n\nif __name__ == "__main__":\n    main()\n`,
  }),
  selfTest: {
    good: [{ path: 'main.py', content: 'import json\nprint(json.dumps({"ok": 1 + 1}))\n' }],
    bad: [{ path: 'main.py', content: 'def area(r):\n    return PI * r * r\n\nprint(area(2))\n' }],
    expect: { type: 'NameError', file: 'main.py', line: 2 },
  },
});
