/**
 * Fault injection for the fault suite (services/worker/faults): HARDFIX_FAULT_KILL_AT names a point
 * (see FAULT_POINTS) at which this process SIGKILLs itself, optionally as "<point>:<k>" for the k-th
 * time it passes there (default 1). Unset in production, where every call is one property read.
 */
export const FAULT_POINTS = [
  /** The model has answered (paid for) and the answer is not stored yet. */
  'llm-call',
  /** The sandbox is running the candidate. */
  'verify',
  /** The candidate verified; nothing about it is recorded yet. */
  'after-verify',
  /** The files are on disk; the project is not marked delivered yet. */
  'after-delivery',
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

const plan = parsePlan(process.env.HARDFIX_FAULT_KILL_AT);
let passes = 0;

function parsePlan(raw: string | undefined): { point: string; at: number } | undefined {
  if (!raw) return undefined;
  const [point, at] = raw.split(':');
  if (!point || !(FAULT_POINTS as readonly string[]).includes(point))
    throw new Error(`HARDFIX_FAULT_KILL_AT: unknown point "${raw}" (one of ${FAULT_POINTS.join(', ')})`);
  return { point, at: at ? Number(at) : 1 };
}

/** Dies here (SIGKILL, no cleanup, as a crash would) when the fault plan says so. */
export async function faultPoint(point: FaultPoint): Promise<void> {
  if (!plan || plan.point !== point) return;
  passes += 1;
  if (passes < plan.at) return;
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered asynchronously; nothing after this point may run.
  await new Promise(() => {});
}
