import { defineAdapter } from '../adapter.js';
import { parsePythonError } from './extract.js';
import { ENTRIES, SOURCE, TEST_FILE, TEST_NAMING } from './files.js';
import { countTests, verdictMismatch } from './tests.js';
import { planPython } from './verify.js';

const KEYWORDS =
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self';

/** Python: see LanguageAdapter for what each field is for. */
export const python = defineAdapter({
  id: 'python',
  aliases: ['py'],
  displayName: 'Python',
  files: { defaultEntries: ENTRIES, source: SOURCE, test: TEST_FILE, testNaming: TEST_NAMING },
  toolchain: {
    tools: { python3: '/usr/bin/python3' },
    etcEntries: [/^python3(\.\d+)?$/],
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
    scopeHeaders: [/^\s*(?:async\s+)?def\s+(\w+)/],
  },
  prompt: {
    rules: 'Python 3 standard library only. The entry file is main.py.',
  },
  selfTest: {
    good: [{ path: 'main.py', content: 'import json\nprint(json.dumps({"ok": 1 + 1}))\n' }],
    bad: [{ path: 'main.py', content: 'def area(r):\n    return PI * r * r\n\nprint(area(2))\n' }],
    expect: { type: 'NameError', file: 'main.py', line: 2 },
  },
});
