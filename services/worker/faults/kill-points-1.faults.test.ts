import { describeKillRuns } from './kill-runs.js';

// Two files of FAULT_RUNS (default 5) runs of two kills each: 20 kill points, shared by the two cores.
describeKillRuns(1);
