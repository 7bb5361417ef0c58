import { describeKillRuns } from './kill-runs.js';

// Two files of FAULT_RUNS (default 10) runs each, so the two cores share the 20 kill points.
const seed = Number(process.env.FAULT_SEED ?? Date.now() % 1_000_000);
describeKillRuns(seed + 2, Number(process.env.FAULT_RUNS ?? 10));
