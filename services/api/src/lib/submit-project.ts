import type { CreateProjectBody, ProjectStatus } from '@hardfix/contracts';
import { enqueueStage, type ProjectStore, type StageQueues } from '@hardfix/core';
import { conflict } from '../errors/http-error.js';

export interface Accepted {
  id: string;
  name: string;
  status: ProjectStatus;
}

/**
 * Creates the project and hands it to generation attempt 1. A client that timed out and sends the
 * same request again gets the same project back: the name is the idempotency key, and the same
 * language and prompt mark it as the same request. The job is re-ensured (its id is deterministic,
 * so this adds nothing if it exists) because the first call may have died between the two writes.
 */
export async function submitProject(
  store: ProjectStore,
  queues: StageQueues,
  body: CreateProjectBody,
): Promise<Accepted> {
  const result = await store.create({ ...body, status: 'queued', stage: 'generation' });
  if (result.created) {
    await enqueueStage(queues, 'generation', result.project.id, 1);
    return { id: result.project.id, name: result.project.name, status: result.project.status };
  }
  const existing = await store.get(result.existingId);
  if (existing && existing.language === body.language && existing.prompt === body.prompt) {
    // Only a project still waiting for its first attempt may lack its job; re-adding one to a
    // project that has moved on could resurrect a finished or removed attempt.
    if (existing.status === 'queued') await enqueueStage(queues, 'generation', existing.id, 1);
    return { id: existing.id, name: existing.name, status: existing.status };
  }
  throw conflict(
    'name_taken',
    `name "${body.name}" is taken by project ${result.existingId} (with a different language or prompt)`,
  );
}
