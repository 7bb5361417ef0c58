import { defineAdapter } from '../adapter.js';
import { javascriptCoverageStep } from './coverage.js';
import { javascriptDependencies } from './dependencies.js';
import { parseNodeError } from './extract.js';
import { ENTRIES, SOURCE, TEST_FILE, TEST_NAMING } from './files.js';
import { countTests, verdictMismatch } from './tests.js';
import { planJavascript } from './verify.js';

const KEYWORDS =
  'await break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof let new null of return super switch this throw true try typeof undefined var void while with yield';

/** JavaScript: see LanguageAdapter for what each field is for. */
export const javascript = defineAdapter({
  id: 'javascript',
  aliases: ['js'],
  displayName: 'JavaScript',
  files: {
    extensions: ['.js', '.mjs', '.cjs'],
    defaultEntries: ENTRIES,
    source: SOURCE,
    test: TEST_FILE,
    testNaming: TEST_NAMING,
  },
  toolchain: {
    tools: { node: '/usr/bin/node' },
    etcEntries: [],
    install: 'sudo apt-get install -y nodejs (the sandbox needs a node under /usr)',
  },
  verify: {
    plan: planJavascript,
    countTests,
    verdictMismatch,
    testRunner: 'node:assert or node:test',
    exitCall: /\bprocess\.(?:exit|abort|reallyExit)\s*\(/,
    silentTestFiles: (stdout, testFiles, visibleRoot) => {
      const passedNames = new Set([...stdout.matchAll(/^ok \d+ - (.*)$/gm)].map((m) => m[1]));
      return testFiles.filter((path) => passedNames.has(`${visibleRoot}/${path}`));
    },
    failingTestName: (output) => /^\s*not ok \d+ - (.*?)(?:\s+#.*)?$/m.exec(output)?.[1]?.trim() || undefined,
  },
  errors: {
    parse: parseNodeError,
    definition: (n) =>
      new RegExp(
        `(?:\\bfunction\\s*\\*?\\s*${n}\\s*\\(|\\b(?:const|let|var)\\s+${n}\\s*=|^\\s*(?:static\\s+)?(?:async\\s+)?${n}\\s*\\([^)]*\\)\\s*\\{|\\bclass\\s+${n}\\b|\\b${n}\\s*:\\s*(?:async\\s+)?(?:function\\b|\\())`,
      ),
    blocks: 'braces',
  },
  editPatterns: {
    comments: 'c',
    tripleQuotedStrings: false,
    importLine:
      /^\s*(?:(?:const|let|var)\s+[\w${},\s:]+=\s*require\(\s*(['"])[@\w./-]+\1\s*\)(?:\.[\w$]+)?;?|import\s+.+\s+from\s+(['"])[@\w./-]+\2;?|import\s+(['"])[@\w./-]+\3;?)\s*$/,
    preamble: /^(?:#!.*|\/\/.*|(['"])use strict\1;?)$/,
    keywords: new Set(KEYWORDS.split(' ')),
  },
  signature: {
    decisive: [],
    noise: [],
    scopeHeaders: [
      /\b(?:it|test|describe)\(\s*(['"`])(.+?)\1/,
      /\bfunction\s*\*?\s*([\w$]+)/,
      /^\s*(?:async\s+)?([\w$]+)\s*\([^)]*\)\s*\{\s*$/,
    ],
  },
  localise: { traceStep: javascriptCoverageStep },
  dependencies: javascriptDependencies,
  prompt: {
    rules:
      'Node.js 20. The entry file is index.js (CommonJS unless you add a package.json with "type": "module").',
  },
  sample: (message) => ({ path: 'index.js', content: `console.log("${message}");\n` }),
  selfTest: {
    good: [
      {
        path: 'index.js',
        content:
          "const { strictEqual } = require('node:assert');\nstrictEqual(1 + 1, 2);\nconsole.log('ok');\n",
      },
    ],
    bad: [
      { path: 'index.js', content: 'function area(r) {\n  return PI * r * r;\n}\nconsole.log(area(2));\n' },
    ],
    expect: { type: 'ReferenceError', file: 'index.js', line: 2 },
  },
});
