import { defineAdapter } from '../adapter.js';
import { javascriptDependencies } from '../javascript/dependencies.js';
import { javascript } from '../javascript/index.js';
import { countTests, verdictMismatch } from '../javascript/tests.js';
import { parseTypescriptError } from './extract.js';
import { ENTRIES, SOURCE, TEST_FILE, TEST_NAMING } from './files.js';
import { silentTestFiles } from './tests.js';
import { HOST_PATHS, TSC_PATH } from './toolchain.js';
import { typescriptTraceStep } from './trace.js';
import { planTypescript } from './verify.js';

const TS_KEYWORDS =
  'abstract any as asserts bigint boolean declare enum implements infer interface keyof namespace never number object private protected public readonly satisfies string symbol type unique unknown';

/**
 * TypeScript: type-checked by tsc (strict) into JavaScript that runs on the service's node, with the
 * JavaScript adapter's test runner, counts and verdict checks. See LanguageAdapter for each field.
 */
export const typescript = defineAdapter({
  id: 'typescript',
  aliases: ['ts'],
  displayName: 'TypeScript',
  files: {
    extensions: ['.ts', '.mts', '.cts'],
    defaultEntries: ENTRIES,
    source: SOURCE,
    test: TEST_FILE,
    testNaming: TEST_NAMING,
  },
  toolchain: {
    // node is javascript's too: without it both are disabled; without tsc only typescript is.
    tools: { node: '/usr/bin/node', tsc: TSC_PATH },
    etcEntries: [],
    hostPaths: HOST_PATHS,
    install: 'pnpm install (typescript is a workspace dependency; node as for javascript)',
  },
  verify: {
    plan: planTypescript,
    countTests,
    verdictMismatch,
    testRunner: javascript.verify.testRunner,
    exitCall: javascript.verify.exitCall,
    silentTestFiles,
    failingTestName: javascript.verify.failingTestName,
  },
  errors: {
    parse: parseTypescriptError,
    // A typed definition: `function f<T>(`, `const f = (`, `f(a: number): number {`, a class.
    definition: (n) =>
      new RegExp(
        `(?:\\bfunction\\s*\\*?\\s*${n}\\s*[<(]|\\b(?:const|let|var)\\s+${n}\\s*[:=]|^\\s*(?:(?:public|private|protected|static|readonly|async)\\s+)*${n}\\s*(?:<[^>]*>)?\\s*\\([^)]*\\)\\s*(?::[^{]*)?\\{|\\bclass\\s+${n}\\b|\\b${n}\\s*:\\s*(?:async\\s+)?(?:function\\b|\\())`,
      ),
    blocks: 'braces',
  },
  editPatterns: {
    comments: 'c',
    tripleQuotedStrings: false,
    importLine:
      /^\s*(?:import\s+.+\s+from\s+(['"])[@\w./:-]+\1;?|import\s+(['"])[@\w./:-]+\2;?|import\s+[\w$]+\s*=\s*require\(\s*(['"])[@\w./:-]+\3\s*\);?)\s*$/,
    preamble: /^(?:#!.*|\/\/.*|(['"])use strict\1;?)$/,
    keywords: new Set([...javascript.editPatterns.keywords, ...TS_KEYWORDS.split(' ')]),
    // What a learnt rename or import is anchored on: the missing member or name tsc names.
    anchors: [
      /Property '([\w$]+)' does not exist on type\b/, // TS2339 (and TS2551, its "Did you mean" form)
      /Cannot find name '([\w$]+)'/, // TS2304 / TS2552
    ],
  },
  signature: {
    // The missing name or member decides the fix; a type in the message (`on type 'Order[]'`) is the
    // program's own and is parameterised like any quoted value.
    decisive: [/Cannot find name '[\w$]+'/g, /Property '[\w$]+' does not exist on type/g],
    noise: [],
    scopeHeaders: [
      ...javascript.signature.scopeHeaders,
      /^\s*(?:(?:public|private|protected|static|async)\s+)*([\w$]+)\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::[^{]*)?\{\s*$/,
    ],
  },
  // npm packages, as for javascript: declared in package.json, installed with scripts off.
  dependencies: javascriptDependencies,
  localise: { traceStep: typescriptTraceStep },
  prompt: {
    rules:
      'TypeScript for Node.js 20, type-checked with tsc --strict before it runs (NodeNext modules). Use ES module syntax (import/export); a relative import names the compiled file: `./util.js` for util.ts. Node built-in modules are imported as `node:fs` etc. A declared npm package must ship its own type declarations (strict mode refuses an untyped import). The entry file is main.ts.',
  },
  sample: (message) => ({
    path: 'main.ts',
    content: `const message: string = "${message}";\nconsole.log(message);\n`,
  }),
  selfTest: {
    good: [
      {
        path: 'main.ts',
        content:
          "import { strictEqual } from 'node:assert';\nconst sum = (a: number, b: number): number => a + b;\nstrictEqual(sum(1, 1), 2);\nconsole.log('ok');\n",
      },
    ],
    // Runs fine as JavaScript: only the type-check finds it.
    bad: [
      {
        path: 'main.ts',
        content:
          "function area(r: number): number {\n  return Math.PI * r * r;\n}\nconst radius: number = '2';\nconsole.log(area(radius));\n",
      },
    ],
    expect: { type: 'TS2322', file: 'main.ts', line: 4 },
  },
});
