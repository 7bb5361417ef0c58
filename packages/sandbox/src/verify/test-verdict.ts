import type { Language } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import type { ExtractedError } from '../types.js';
import { TEST_MARK } from './test-counts.js';

/** The error type of a test run whose result was changed by the code under test. */
export const VERDICT_TAMPERED = 'VerdictTampered';

interface TestStepOutput {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

const escapeRegExp = (s: string) => s.replace(/[[\]\\^$.|?*+(){}]/g, '\\$&');
const mark = (rest: string) => new RegExp(`^${escapeRegExp(TEST_MARK)} ${rest}$`, 'gm');
const TAMPERED = mark('tampered (.+)');

/**
 * The tests run in the program's own process, so the test runner's summary is the program's word as
 * much as the runner's. Each language's runner also gives the verifier a count of its own (python.ts,
 * javascript.ts, java-runner.ts): this compares the two, and the process's exit status with both.
 * Any disagreement, a count given twice, or a runner that saw its own classes replaced, fails the
 * verification as VerdictTampered whatever the summary says. Undefined when they agree (or when the
 * runner never got to count: NoTestsRan's case, or a crash the step's status already fails).
 */
export function verdictTampered(language: Language, step: TestStepOutput): ExtractedError | undefined {
  const output = `${step.stdout}\n${step.stderr}`;
  const replaced = [...output.matchAll(TAMPERED)].map((m) => m[1] as string);
  if (replaced.length > 0)
    return tampered(
      `the code under test changed the test runner (${replaced.slice(0, 5).join('; ')}), so the tests' verdict is not theirs; a program must not modify ${adapterOf(language).verify.testRunner}`,
    );
  const problem = adapterOf(language).verify.verdictMismatch(output, step.exitCode);
  return problem === undefined ? undefined : tampered(problem);
}

function tampered(message: string): ExtractedError {
  return { type: VERDICT_TAMPERED, message };
}
