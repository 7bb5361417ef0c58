import type { Language } from '@hardfix/contracts';
import { adapterOf, LANGUAGES } from '@hardfix/languages';
import type { VerifyOptions, VerifyResult } from './types.js';

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
  // Each adapter's selfTest: a program that must verify, and one whose error must be found.
  const probe = adapterOf(language).selfTest;
  try {
    const good = await verify({ language, files: [...probe.good], timeoutMs });
    if (!good.ok)
      return done(`a known-good ${language} program failed: ${good.error?.type}: ${good.error?.message}`);
    const bad = await verify({ language, files: [...probe.bad], timeoutMs });
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

export const SELF_TEST_LANGUAGES: readonly Language[] = LANGUAGES;
