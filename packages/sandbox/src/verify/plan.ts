import type { SandboxLimits } from '../limits.js';
import type { Interpreters, VerifyPhase } from '../types.js';

export interface PlannedStep {
  phase: VerifyPhase;
  command: string[];
  env?: Record<string, string>;
  /**
   * `runtime`: a JVM or V8 step, whose address-space limit includes the runtime's reservations
   * (its heap is capped by a flag instead). @defaultValue 'program'
   */
  memory?: 'program' | 'runtime';
}

export type VerifyPlan =
  | { kind: 'steps'; steps: PlannedStep[] }
  | { kind: 'missing-entry'; message: string; file?: string };

export interface PlanContext {
  files: { path: string; content: string }[];
  entry: string | undefined;
  interpreters: Interpreters;
  limits: SandboxLimits;
}

export function hasFile(ctx: PlanContext, path: string): boolean {
  return ctx.files.some((f) => f.path === path);
}

export { heapMiB } from '../limits.js';
