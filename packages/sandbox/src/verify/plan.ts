import type { SandboxLimits } from '../limits.js';
import type { Interpreters, VerifyPhase } from '../types.js';

export interface PlannedStep {
  phase: VerifyPhase;
  command: string[];
  env?: Record<string, string>;
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

/** Heap flags get half the data limit so the runtime fails with its own, readable, error first. */
export function heapMiB(limits: SandboxLimits): number {
  return Math.max(32, Math.floor(limits.memoryBytes / 1024 / 1024 / 2));
}
