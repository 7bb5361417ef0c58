import { createHash } from 'node:crypto';
import type { SandboxDescription, VerifyOptions, VerifyResult } from './types.js';

/**
 * Earlier results for identical input, so a test run verifies each distinct program once however many
 * flow tests (and worker start-up self-tests) ask again: the testkit keeps one on disk per run. Nothing
 * in production passes one.
 */
export interface VerifyMemo {
  get(key: string): Promise<VerifyResult | undefined>;
  put(key: string, result: VerifyResult): Promise<void>;
}

type Verify = (opts: VerifyOptions) => Promise<VerifyResult>;

// Bumped when what a verification produces changes shape, so an older memo is never replayed.
const MEMO_VERSION = 1;

/**
 * `run` behind the memo. Only what the input alone decides is remembered: a verification with installed
 * dependencies (their content lives outside the input) goes straight to `run`, and so does any result
 * the host's load or timing could have decided (a timeout, a killed or output-capped step).
 */
export function memoised(memo: VerifyMemo, describe: () => SandboxDescription, run: Verify): Verify {
  return async (opts) => {
    if (opts.dependencies) return run(opts);
    const key = createHash('sha256')
      .update(JSON.stringify({ version: MEMO_VERSION, sandbox: describe(), opts }))
      .digest('hex');
    const known = await memo.get(key);
    if (known) return known;
    const result = await run(opts);
    if (decidedByInput(result)) await memo.put(key, result);
    return result;
  };
}

function decidedByInput(result: VerifyResult): boolean {
  return (
    result.error?.type !== 'Timeout' &&
    result.steps.every((s) => !s.timedOut && !s.outputLimitExceeded && s.signal === null)
  );
}
