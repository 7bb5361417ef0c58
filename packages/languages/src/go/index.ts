import { defineAdapter } from '../adapter.js';
import { parseGoError } from './extract.js';
import { completeFiles, ENTRIES, SOURCE, TEST_FILE, TEST_NAMING } from './files.js';
import { addGoImports, IMPORT_LINE } from './imports.js';
import { countTests, verdictMismatch } from './tests.js';
import { goTraceStep } from './trace.js';
import { planGo, WARM_CACHE } from './verify.js';

const KEYWORDS =
  'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false iota append len cap make new panic recover';

/** Go: see LanguageAdapter for what each field is for. */
export const go = defineAdapter({
  id: 'go',
  aliases: ['golang'],
  displayName: 'Go',
  files: {
    extensions: ['.go'],
    defaultEntries: ENTRIES,
    source: SOURCE,
    test: TEST_FILE,
    testNaming: TEST_NAMING,
    complete: completeFiles,
  },
  toolchain: {
    tools: { go: '/usr/bin/go' },
    etcEntries: [],
    hostPaths: [WARM_CACHE],
    install: 'sudo apt-get install -y golang-go',
  },
  verify: {
    plan: planGo,
    countTests,
    verdictMismatch,
    testRunner: 'the testing package or the test output (go test reads results from the test binary)',
    exitCall: /\b(?:os\.Exit|syscall\.Exit|log\.Fatal(?:f|ln)?)\s*\(/,
    failingTestName: (output) => /--- FAIL: (\S+)/.exec(output)?.[1] || undefined,
  },
  errors: {
    parse: parseGoError,
    definition: (n) => new RegExp(`^func\\s+(?:\\([^)]*\\)\\s*)?${n}\\s*[[(]|^type\\s+${n}\\b`),
    blocks: 'braces',
    // A package used without its import (`undefined: strings` where the line says `strings.`): imports
    // sit only at the file's top. A function of the program's own is called, not qualified.
    fixInHeader: (message, line) => {
      const name = /^undefined: ([a-z][a-z0-9]*)$/.exec(message)?.[1];
      return name !== undefined && new RegExp(`\\b${name}\\.`).test(line);
    },
  },
  editPatterns: {
    comments: 'c',
    tripleQuotedStrings: false,
    importLine: IMPORT_LINE,
    preamble: /^(?:package\s+\w+|\/\/.*)$/,
    keywords: new Set(KEYWORDS.split(' ')),
    addImports: addGoImports,
    anchors: [
      /^undefined: (\w+)/, // a name, or a package not imported
      /has no field or method (\w+)/, // a wrong method or field name
    ],
  },
  signature: {
    decisive: [],
    noise: [],
    scopeHeaders: [/^func\s+(?:\([^)]*\)\s*)?(\w+)\s*\(/],
  },
  localise: { traceStep: goTraceStep },
  prompt: {
    rules:
      'Go 1.19 standard library only (no third-party modules). The entry file is main.go in package main with func main(); a go.mod is added when you write none; every import must be used.',
  },
  sample: (message) => ({
    path: 'main.go',
    content: `package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("${message}")\n}\n`,
  }),
  selfTest: {
    good: [
      {
        path: 'main.go',
        content: 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("ok", 1+1)\n}\n',
      },
    ],
    bad: [
      {
        path: 'main.go',
        content:
          'package main\n\nimport "fmt"\n\nfunc main() {\n\txs := []int{1}\n\ti := 3\n\tfmt.Println(xs[i])\n}\n',
      },
    ],
    expect: { type: 'IndexOutOfRange', file: 'main.go', line: 8 },
  },
});
