import type { EventType, Project, ProjectEvent, ProjectStatus } from '@hardfix/contracts';

const STATUS_EVENTS: Partial<Record<ProjectStatus, EventType>> = {
  delivered: 'project.delivered',
  'manual-review': 'project.manual_review',
  abandoned: 'project.abandoned',
};

export interface DetectedEvent {
  event: ProjectEvent;
  /** For `project.parked`: the progress mark to keep on the record (see Project.parkedEventFor). */
  parkedMark?: string;
}

/**
 * The event a write of `after` over `before` (undefined: a new project) amounts to, if any. At most one
 * per write: a status change wins over parking. Its id is the project id and the version this write
 * creates, so it is fixed the moment the transition is, whoever sends it and however often.
 */
export function detectEvent(before: Project | undefined, after: Project): DetectedEvent | undefined {
  const statusType = after.status !== before?.status ? STATUS_EVENTS[after.status] : undefined;
  if (statusType) return { event: eventOf(after, statusType) };
  if (after.parked && !before?.parked) {
    const mark = `${after.status}:${after.attempts.length}`;
    if (mark !== after.parkedEventFor) return { event: eventOf(after, 'project.parked'), parkedMark: mark };
  }
  return undefined;
}

export function eventId(projectId: string, version: number): string {
  // BullMQ job ids (the webhook job uses this one) may not contain ':' nor be a bare integer.
  return `evt-${projectId}-${version}`;
}

function eventOf(p: Project, type: EventType): ProjectEvent {
  // Built field by field in a fixed order: this JSON is the signed webhook body as it is sent.
  return {
    id: eventId(p.id, p.version),
    type,
    projectId: p.id,
    name: p.name,
    status: p.status,
    at: p.updatedAt,
  };
}
