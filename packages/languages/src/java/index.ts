import { defineAdapter } from '../adapter.js';
import { parseJavaError } from './extract.js';
import { ENTRIES, SOURCE, TEST_FILE, TEST_NAMING } from './files.js';
import { countTests, verdictMismatch } from './tests.js';
import { planJava } from './verify.js';

const KEYWORDS =
  'abstract boolean break byte case catch char class continue default do double else extends final finally float for if implements import instanceof int interface long new null package private protected public return short static super switch this throw throws true false try void while var';

/** Java: see LanguageAdapter for what each field is for. */
export const java = defineAdapter({
  id: 'java',
  aliases: [],
  displayName: 'Java',
  files: {
    extensions: ['.java'],
    defaultEntries: ENTRIES,
    source: SOURCE,
    test: TEST_FILE,
    testNaming: TEST_NAMING,
  },
  toolchain: {
    tools: { java: '/usr/bin/java', javac: '/usr/bin/javac' },
    etcEntries: [/^java-\d+-openjdk$/],
    install: 'sudo apt-get install -y openjdk-17-jdk-headless',
  },
  verify: {
    plan: planJava,
    countTests,
    verdictMismatch,
    testRunner: "the JVM's exit status (System.exit, Runtime.halt, shutdown hooks)",
    exitCall: /\b(?:System\.exit|Runtime\.getRuntime\(\)\.(?:exit|halt))\s*\(/,
    // What JDK 17 to 23 print when the test runner installs its exit guard (runner.ts).
    noise:
      /^WARNING: (A terminally deprecated method in java\.lang\.System|System::setSecurityManager|Please consider reporting this to the maintainers of hardfix\.)/,
    failingTestName: (output) => /^\[hardfix-test\] failed (\S+)$/m.exec(output)?.[1]?.trim() || undefined,
  },
  errors: {
    parse: parseJavaError,
    definition: (n) => new RegExp(`(?:\\b[\\w<>\\[\\],]+\\s+${n}\\s*\\([^;]*$|\\bclass\\s+${n}\\b)`),
    blocks: 'braces',
  },
  editPatterns: {
    comments: 'c',
    tripleQuotedStrings: false,
    importLine: /^\s*import\s+(?:static\s+)?[\w.]+(?:\.\*)?\s*;\s*$/,
    preamble: /^(?:package\s+[\w.]+\s*;|\/\/.*)$/,
    keywords: new Set(KEYWORDS.split(' ')),
  },
  signature: {
    decisive: [
      /\(receiver [^()]+\)/g, // javac: the type of the variable the member was looked up on
      /Cannot (?:invoke|read field|assign field|read the array length|load from|store to) "?[\w$.<>[\]()]*"?/g, // NPE
    ],
    noise: [],
    scopeHeaders: [
      /^\s*(?:(?:public|private|protected|static|final|synchronized)\s+)*[\w<>[\],\s]+\s+(\w+)\s*\([^;]*\)\s*(?:throws [\w.,\s]+)?\{?\s*$/,
    ],
  },
  prompt: {
    rules:
      'Java 17 standard library only, no build tool. The entry file is Main.java with public class Main and a main method; every .java file is compiled together.',
  },
  sample: (message) => ({
    path: 'Main.java',
    content: `public class Main {\n  public static void main(String[] args) {\n    System.out.println("${message}");\n  }\n}\n`,
  }),
  selfTest: {
    good: [
      {
        path: 'Main.java',
        content:
          'public class Main {\n  public static void main(String[] a) {\n    System.out.println("ok " + (1 + 1));\n  }\n}\n',
      },
    ],
    bad: [
      {
        path: 'Main.java',
        content:
          'public class Main {\n  public static void main(String[] a) {\n    int[] xs = new int[1];\n    System.out.println(xs[3]);\n  }\n}\n',
      },
    ],
    expect: { type: 'ArrayIndexOutOfBoundsException', file: 'Main.java', line: 4 },
  },
});
