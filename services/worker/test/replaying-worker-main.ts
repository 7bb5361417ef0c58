import type { VerifyResult } from '@hardfix/sandbox';
import { runVerifyMemo } from '@hardfix/testkit';
import { runWorkerProcess } from '../src/process-main.js';

// The worker process as src/main.ts runs it, with one difference: its sandbox replays what this test run
// already verified (testkit's verify memo), so its start-up self-test and the flow's programs run for
// real once per run rather than once per process. Spawned by worker-process.ts.
const memo = runVerifyMemo<VerifyResult>();
await runWorkerProcess(memo ? { verifyMemo: memo } : {});
