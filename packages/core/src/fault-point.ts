/**
 * Fault injection for the fault suite (services/worker/faults): HARDFIX_FAULT_KILL_AT names a point
 * (see FAULT_POINTS) at which this process SIGKILLs itself, optionally as "<point>@<step>" for the
 * first time it passes there in that step ("generation:2", "analysis", "hard-fix:1"; default: any
 * step). Unset in production, where every call is one property read.
 */
export const FAULT_POINTS = [
  /** The model has answered (paid for) and the answer is not stored yet. */
  'llm-call',
  /** The answer is stored; nothing is done with it yet (not verified, or the analysis not acted on). */
  'answer-stored',
  /** The sandbox is running the candidate. */
  'verify',
  /** The candidate verified; nothing about it is recorded yet. */
  'after-verify',
  /** The failed attempt is recorded; the next attempt or stage is not handed the project yet. */
  'before-hand-off',
  /** The files are on disk; the project is not marked delivered yet. */
  'after-delivery',
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

const plan = parsePlan(process.env.HARDFIX_FAULT_KILL_AT);

function parsePlan(raw: string | undefined): { point: string; step: string | undefined } | undefined {
  if (!raw) return undefined;
  const [point, step] = raw.split('@');
  if (!point || !(FAULT_POINTS as readonly string[]).includes(point))
    throw new Error(`HARDFIX_FAULT_KILL_AT: unknown point "${raw}" (one of ${FAULT_POINTS.join(', ')})`);
  return { point, step };
}

/** Dies here (SIGKILL, no cleanup, as a crash would) when the fault plan says so. */
export async function faultPoint(point: FaultPoint, step?: string): Promise<void> {
  if (!plan || plan.point !== point || (plan.step !== undefined && plan.step !== step)) return;
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is delivered asynchronously; nothing after this point may run.
  await new Promise(() => {});
}
