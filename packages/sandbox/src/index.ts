import type { Language } from '@hardfix/contracts';
import { toolsOf } from '@hardfix/languages';
import { memoised, type VerifyMemo } from './memo.js';
import type { SandboxOptions } from './sandbox.js';
import { createSandboxRunner } from './sandbox.js';
import { SandboxFault } from './sandbox-fault.js';
import { type LanguageSelfTest, SELF_TEST_LANGUAGES, selfTestLanguage } from './self-test.js';
import type { SandboxDescription, SandboxIsolation, VerifyOptions, VerifyResult } from './types.js';
import { verifyProject } from './verify/verify-project.js';

export type { CgroupLimits } from './cgroup-support.js';
export { type ExtractErrorOptions, extractError, MAX_MESSAGE_CHARS } from './extract/extract-error.js';
export { extractCodeBlock } from './extract/lines-around.js';
export { DEFAULT_LIMITS, type SandboxLimits } from './limits.js';
export { ochiai, type SuspiciousLine, type TestSpectrum } from './localise/ochiai.js';
export type { Logger as SandboxLogger } from './logger.js';
export type { VerifyMemo } from './memo.js';
export type { SandboxOptions, SandboxRunner } from './sandbox.js';
export { BUBBLEWRAP_FIX, createSandboxRunner } from './sandbox.js';
export { SandboxFault } from './sandbox-fault.js';
export { SandboxUnavailableError } from './sandbox-unavailable-error.js';
export type { LanguageSelfTest } from './self-test.js';
export { summariseVerification } from './summarise.js';
export type * from './types.js';
export { SANDBOX_MODES } from './types.js';
export { UnsafePathError } from './unsafe-path-error.js';
export { verifyProject } from './verify/verify-project.js';
export { defaultWorkRoot, prepareSharedDir } from './work-root.js';
export { assertProjectPaths } from './workspace.js';

export interface SandboxHealth {
  /** `starting` until the first self-test ends; `failed` while a self-test or a sandbox fault says so. */
  state: 'starting' | 'ready' | 'failed';
  /** One line per problem, for /ready and the log. */
  reasons: string[];
  mode: SandboxDescription['kind'];
  /** Per language; a language whose interpreter is not installed is reported, but does not fail the sandbox. */
  languages: Partial<Record<Language, LanguageSelfTest & { installed: boolean }>>;
  isolation: SandboxIsolation;
}

/** The sandbox as the worker and the API use it. */
export interface Sandbox {
  describe(): SandboxDescription;
  /**
   * Verifies a project. A failed result is the program's failure: when the sandbox itself is at fault
   * (it did not start, or the self-test fails right after) this throws SandboxFault instead.
   */
  verify(opts: VerifyOptions): Promise<VerifyResult>;
  /**
   * Runs the self-test of the given languages (all by default) now; concurrent callers share one run
   * per language. The health is recomputed from every language's last result.
   */
  selfTest(languages?: readonly Language[]): Promise<SandboxHealth>;
  health(): SandboxHealth;
  onHealthChange(listener: (health: SandboxHealth) => void): void;
}

export interface CreateSandboxOptions extends SandboxOptions {
  /** Time limit of each self-test run. @defaultValue 20000 */
  selfTestTimeoutMs?: number;
  /**
   * A failed verification is blamed on the program only if the language's self-test passed this
   * recently; otherwise the self-test runs again first. Timeouts always re-run it (a known-good program
   * that cannot finish either means overload, not a slow program). @defaultValue 10000
   */
  selfTestMaxAgeMs?: number;
  /** Tests only: replay earlier results for identical input (the self-test's too); see memo.ts. */
  memo?: VerifyMemo;
}

/** The same error this many times in a row, in different verifications, re-runs the self-test. */
const SAME_ERROR_RECHECK = 3;

/**
 * Checks bubblewrap can run (SandboxUnavailableError with the fix otherwise) and returns the sandbox.
 * Its health starts as `starting`: call `selfTest()` before taking work.
 */
export async function createSandbox(options: CreateSandboxOptions): Promise<Sandbox> {
  const runner = await createSandboxRunner(options);
  const selfTestTimeoutMs = options.selfTestTimeoutMs ?? 20_000;
  const maxAgeMs = options.selfTestMaxAgeMs ?? 10_000;
  const listeners: ((h: SandboxHealth) => void)[] = [];
  // A language is disabled, alone, when a tool its adapter lists is missing; the others keep working.
  const missingTools = (language: Language) =>
    toolsOf(language).filter((tool) => runner.missingInterpreters.includes(tool));
  const installed = (language: Language) => missingTools(language).length === 0;
  let health: SandboxHealth = {
    state: 'starting',
    reasons: ['self-test not run yet'],
    mode: runner.mode,
    languages: {},
    isolation: runner.isolation,
  };
  const lastPass = new Map<Language, number>();
  const inFlight = new Map<Language, Promise<LanguageSelfTest & { installed: boolean }>>();
  let lastError = { key: '', count: 0 };

  const setHealth = (next: SandboxHealth) => {
    const changed = next.state !== health.state || next.reasons.join('\n') !== health.reasons.join('\n');
    health = next;
    if (changed) for (const l of listeners) l(health);
  };
  const direct = (opts: VerifyOptions) => verifyProject(runner, opts);
  const plainVerify = options.memo ? memoised(options.memo, () => runner.describe(), direct) : direct;

  const testLanguage = (language: Language): Promise<LanguageSelfTest & { installed: boolean }> => {
    let pending = inFlight.get(language);
    if (!pending) {
      pending = (async () => {
        if (!installed(language))
          return {
            ok: false,
            installed: false,
            reason: `not installed: ${missingTools(language)
              .map((tool) => `${tool} (${runner.interpreters[tool]})`)
              .join(', ')}`,
            durationMs: 0,
            at: new Date().toISOString(),
          };
        const result = await selfTestLanguage(plainVerify, language, selfTestTimeoutMs);
        if (result.ok) lastPass.set(language, Date.now());
        return { ...result, installed: true };
      })().finally(() => inFlight.delete(language));
      inFlight.set(language, pending);
    }
    return pending;
  };

  /** Re-tests the given languages (all by default) and recomputes the health from every language's last result. */
  const selfTest = async (languages: readonly Language[] = SELF_TEST_LANGUAGES): Promise<SandboxHealth> => {
    const results = await Promise.all(languages.map(testLanguage));
    const all = { ...health.languages };
    languages.forEach((language, i) => {
      all[language] = results[i];
    });
    const reasons = Object.entries(all)
      .filter(([, r]) => r.installed && !r.ok)
      .map(([language, r]) => `sandbox self-test failed for ${language}: ${r.reason}`);
    if (!Object.values(all).some((r) => r.installed)) reasons.push('no interpreter is installed');
    const complete = SELF_TEST_LANGUAGES.every((l) => all[l] !== undefined);
    setHealth({
      state: reasons.length > 0 ? 'failed' : complete ? 'ready' : 'starting',
      reasons: reasons.length > 0 || complete ? reasons : ['self-test not run yet'],
      mode: runner.mode,
      languages: all,
      isolation: runner.isolation,
    });
    return health;
  };

  const fault = (reason: string): SandboxFault => {
    setHealth({ ...health, state: 'failed', reasons: [reason] });
    return new SandboxFault(reason);
  };

  const verify = async (opts: VerifyOptions): Promise<VerifyResult> => {
    let result: VerifyResult;
    try {
      result = await plainVerify(opts);
    } catch (err) {
      if (err instanceof SandboxFault) throw fault(err.message);
      throw err;
    }
    if (result.ok) {
      lastError = { key: '', count: 0 };
      return result;
    }
    const key = `${opts.language}:${result.error?.type}:${result.error?.message}`;
    lastError = key === lastError.key ? { key, count: lastError.count + 1 } : { key, count: 1 };
    const stale = Date.now() - (lastPass.get(opts.language) ?? 0) > maxAgeMs;
    const recheck = stale || result.error?.type === 'Timeout' || lastError.count >= SAME_ERROR_RECHECK;
    if (!recheck) return result;
    if (lastError.count >= SAME_ERROR_RECHECK) lastError = { key: '', count: 0 };
    const after = await selfTest([opts.language]);
    const own = after.languages[opts.language];
    if (own && !own.ok)
      throw new SandboxFault(`sandbox self-test failed for ${opts.language}: ${own.reason}`);
    return result;
  };

  return {
    describe: () => runner.describe(),
    verify,
    selfTest,
    health: () => health,
    onHealthChange: (l) => listeners.push(l),
  };
}
export * from './deps/index.js';
