import type { SourceFile, VerifyPhase } from './types.js';

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

export interface PlanContext<Tool extends string = string> {
  files: SourceFile[];
  entry: string | undefined;
  /** Tool name (an adapter's `toolchain.tools` key) → the absolute path the sandbox resolved for it. */
  interpreters: Readonly<Record<Tool, string>>;
  /** The sandbox's limits (SandboxLimits); a runtime's heap flag gets half of memoryBytes. */
  limits: { memoryBytes: number };
}

export function hasFile(ctx: PlanContext, path: string): boolean {
  return ctx.files.some((f) => f.path === path);
}

/**
 * The entry file the plan starts: the project's `entry`, else the first of the language's default
 * entries it has (a language with one default takes it as given). A missing one is the plan's answer:
 * `missing-entry`, naming the file when one was chosen.
 */
export function findEntry(
  ctx: PlanContext,
  entries: readonly [string, ...string[]],
): { entry: string } | { missing: VerifyPlan } {
  const entry = ctx.entry ?? (entries.length === 1 ? entries[0] : entries.find((p) => hasFile(ctx, p)));
  if (entry !== undefined && hasFile(ctx, entry)) return { entry };
  return {
    missing: {
      kind: 'missing-entry',
      message: `entry point ${entry ?? entries.join(' or ')} not found`,
      ...(entry ? { file: entry } : {}),
    },
  };
}

const MiB = 1024 * 1024;

/** Heap flags get half the memory limit so the runtime fails with its own, readable, error first. */
export function heapMiB(limits: { memoryBytes: number }): number {
  return Math.max(32, Math.floor(limits.memoryBytes / MiB / 2));
}
