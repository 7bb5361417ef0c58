import {
  type CreateProjectBody,
  type Project,
  type ProjectStatus,
  QUEUES,
  type QueueName,
} from '@hardfix/contracts';
import {
  ENTRY_STATES,
  enqueueStage,
  type NewProject,
  type ProjectStore,
  type StageQueues,
} from '@hardfix/core';
import { conflict } from '../errors/http-error.js';

export interface Accepted {
  id: string;
  name: string;
  status: ProjectStatus;
}

export interface Submission {
  project: NewProject;
  /** The stage queue whose attempt 1 starts the project. */
  queue: QueueName;
  /** True when the project already holding the name came from this same request (a client's retry). */
  isSameRequest(existing: Project): Promise<boolean>;
  /** How a different request under the same name differs, for the 409 message. */
  difference: string;
}

/**
 * Creates the project and hands it to attempt 1 of its first stage. A client that timed out and sends
 * the same request again gets the same project back: the name is the idempotency key, and
 * `isSameRequest` tells a retry from a clash. The job is re-ensured (its id is deterministic, so this
 * adds nothing if it exists) because the first call may have died between the two writes.
 */
export async function submit(store: ProjectStore, queues: StageQueues, s: Submission): Promise<Accepted> {
  const result = await store.create(s.project);
  if (result.created) {
    await enqueueStage(queues, s.queue, result.project.id, 1);
    return { id: result.project.id, name: result.project.name, status: result.project.status };
  }
  const existing = await store.get(result.existingId);
  if (existing && (await s.isSameRequest(existing))) {
    // Only a project still waiting for its first attempt may lack its job; re-adding one to a
    // project that has moved on could resurrect a finished or removed attempt.
    if (existing.status === 'queued') await enqueueStage(queues, s.queue, existing.id, 1);
    return { id: existing.id, name: existing.name, status: existing.status };
  }
  throw conflict(
    'name_taken',
    `name "${s.project.name}" is taken by project ${result.existingId} (with ${s.difference})`,
  );
}

/** POST /projects: a new program from a prompt, starting at generation. */
export function submitProject(
  store: ProjectStore,
  queues: StageQueues,
  body: CreateProjectBody,
): Promise<Accepted> {
  return submit(store, queues, {
    project: { ...body, ...ENTRY_STATES.prompt },
    queue: QUEUES.generation,
    isSameRequest: async (existing) =>
      existing.language === body.language &&
      existing.prompt === body.prompt &&
      existing.callbackUrl === body.callbackUrl,
    difference: 'a different language, prompt or callbackUrl',
  });
}
