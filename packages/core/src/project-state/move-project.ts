import type { Project } from '@hardfix/contracts';
import type { CounterDeltas, ProjectStore } from '../project-store.js';
import { moveTo, type StateEvent } from './transitions.js';

export interface Moved {
  /** The record after the attempt: moved, or as it stands when the move did not apply. */
  project: Project;
  moved: boolean;
}

/**
 * Applies `event` in the store's compare-and-set (checked against the latest record, so of two racing
 * writers only one moves the project). `counters` change in the same atomic step as the move.
 */
export async function moveProject(
  store: ProjectStore,
  /** The id, or the record as the caller last read or wrote it (saves a read; see ProjectStore.update). */
  target: string | Project,
  event: StateEvent,
  counters: CounterDeltas = {},
): Promise<Moved> {
  let moved = false;
  const project = await store.update(
    target,
    (p) => {
      const next = moveTo(p, event);
      moved = next !== undefined;
      return next;
    },
    counters,
  );
  return { project, moved };
}
