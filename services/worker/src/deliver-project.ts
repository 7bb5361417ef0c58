import type { Project } from '@hardfix/contracts';
import { deliverVerified } from '@hardfix/core';
import type { StageDeps } from './deps.js';

/** `verifiedHash`: the filesHash of the files this runner verified, when it has them at hand. */
export function deliver(deps: StageDeps, project: Project, verifiedHash?: string): Promise<Project> {
  return deliverVerified(deps.store, deps.env.DELIVERY_DIR, project, deps.logger, verifiedHash);
}
