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
  id: string,
  event: StateEvent,
  counters: CounterDeltas = {},
): Promise<Moved> {
  let moved = false;
  const project = await store.update(
    id,
    (p) => {
      const next = moveTo(p, event);
      moved = next !== undefined;
      return next;
    },
    counters,
  );
  return { project, moved };
}
