import type { ProjectStatus, Stage } from '@hardfix/contracts';

/**
 * Where a project is: the status a person sees, and the stage whose queue owns its next step (once it
 * has settled, the stage that settled it). The two are stored side by side for the HTTP contract and
 * the status indexes, so only the pairs below may exist: a project starts in an ENTRY_STATES pair and
 * only transitions.ts's `moveTo` changes either; the store refuses any other pair.
 */
export interface ProjectState {
  status: ProjectStatus;
  stage: Stage;
}

/** Every legal pair: for each status, the stages a project in it may be in. */
export const STAGES_BY_STATUS: { readonly [S in ProjectStatus]: readonly Stage[] } = {
  queued: ['generation', 'import'],
  generating: ['generation'],
  retrying: ['generation'],
  'smart-retry': ['smart-retry'],
  'hard-fix': ['hard-fix'],
  'manual-review': ['manual'],
  // Delivered from whichever stage's attempt verified (manual: a reviewer's files).
  delivered: ['generation', 'smart-retry', 'hard-fix', 'import', 'manual'],
  abandoned: ['manual'],
};

export function isLegalState(state: ProjectState): boolean {
  return STAGES_BY_STATUS[state.status].includes(state.stage);
}

/** Waiting for, or inside, a stage job: the only statuses a worker acts on. */
export const ACTIVE_STATUSES = [
  'queued',
  'generating',
  'retrying',
  'smart-retry',
  'hard-fix',
] as const satisfies readonly ProjectStatus[];

export function isActive(status: ProjectStatus): boolean {
  return (ACTIVE_STATUSES as readonly ProjectStatus[]).includes(status);
}

/** Nothing ever happens to the project again. */
export function isFinal(status: ProjectStatus): boolean {
  return status === 'delivered' || status === 'abandoned';
}

/**
 * Where a new project starts: a prompt at generation; an import at its verification as it came
 * (run by the hard-fix queue); a project migrated from the old system's review list, in review.
 */
export const ENTRY_STATES = {
  prompt: { status: 'queued', stage: 'generation' },
  import: { status: 'queued', stage: 'import' },
  review: { status: 'manual-review', stage: 'manual' },
} as const satisfies Record<string, ProjectState>;

/** The status a project shows while a stage works on attempt `n` of it. */
export function statusDuring(stage: Stage, n: number): ProjectStatus {
  switch (stage) {
    case 'generation':
      return n === 1 ? 'generating' : 'retrying';
    case 'smart-retry':
      return 'smart-retry';
    case 'hard-fix':
      return 'hard-fix';
    case 'import':
      return 'queued';
    case 'manual':
      return 'manual-review';
  }
}

/** A write that would store a pair no transition produces (a bug in the writer): refused by the store. */
export class IllegalStateError extends Error {
  readonly code = 'illegal_state';
  constructor(
    readonly projectId: string,
    readonly state: ProjectState,
  ) {
    super(`project ${projectId}: status ${state.status} with stage ${state.stage} is not a legal state`);
    this.name = 'IllegalStateError';
  }
}

export function assertLegalState(project: ProjectState & { id: string }): void {
  if (!isLegalState(project))
    throw new IllegalStateError(project.id, { status: project.status, stage: project.stage });
}
