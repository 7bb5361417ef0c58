import type { Language } from '@hardfix/contracts';
import type { VerifyOptions, VerifyResult } from './types.js';

/** One language's self-test: a program that must verify, and one whose error must be extracted as expected. */
interface Probe {
  good: VerifyOptions['files'];
  bad: VerifyOptions['files'];
  expect: { type: string; file: string; line: number };
}

const PROBES: Record<Language, Probe> = {
  python: {
    good: [{ path: 'main.py', content: 'import json\nprint(json.dumps({"ok": 1 + 1}))\n' }],
    bad: [{ path: 'main.py', content: 'def area(r):\n    return PI * r * r\n\nprint(area(2))\n' }],
    expect: { type: 'NameError', file: 'main.py', line: 2 },
  },
  javascript: {
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
  java: {
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
};

export interface LanguageSelfTest {
  ok: boolean;
  /** Why it failed, in one line. */
  reason?: string;
  durationMs: number;
  at: string;
}

export type Verify = (opts: VerifyOptions) => Promise<VerifyResult>;

/**
 * Runs one language's self-test through the same verifier projects use. It passes when the good
 * program verifies and the bad one fails with the expected error type at the expected line: a sandbox
 * that cannot run programs, or runs them and blames the wrong thing, fails it.
 */
export async function selfTestLanguage(
  verify: Verify,
  language: Language,
  timeoutMs: number,
): Promise<LanguageSelfTest> {
  const started = performance.now();
  const done = (reason?: string): LanguageSelfTest => ({
    ok: reason === undefined,
    ...(reason === undefined ? {} : { reason }),
    durationMs: Math.round(performance.now() - started),
    at: new Date().toISOString(),
  });
  const probe = PROBES[language];
  try {
    const good = await verify({ language, files: probe.good, timeoutMs });
    if (!good.ok)
      return done(`a known-good ${language} program failed: ${good.error?.type}: ${good.error?.message}`);
    const bad = await verify({ language, files: probe.bad, timeoutMs });
    const e = bad.error;
    if (
      bad.ok ||
      e?.type !== probe.expect.type ||
      e.file !== probe.expect.file ||
      e.line !== probe.expect.line
    )
      return done(
        `a known-bad ${language} program was not reported as ${probe.expect.type} at ${probe.expect.file}:${probe.expect.line} (got ${bad.ok ? 'success' : `${e?.type}: ${e?.message} at ${e?.file}:${e?.line}`})`,
      );
    return done();
  } catch (err) {
    return done((err as Error).message);
  }
}

export const SELF_TEST_LANGUAGES: readonly Language[] = ['python', 'javascript', 'java'];
