import type { Project } from '@hardfix/contracts';
import { deliverVerified } from '@hardfix/core';
import type { StageDeps } from './deps.js';

export function deliver(deps: StageDeps, project: Project): Promise<Project> {
  return deliverVerified(deps.store, deps.env.DELIVERY_DIR, project, deps.logger);
}
