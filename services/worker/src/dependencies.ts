import type { Language, Project, ProjectFile } from '@hardfix/contracts';
import { adapterOf } from '@hardfix/languages';
import type { DependencyPolicy } from '@hardfix/llm';
import { DependencyError, type DependencyMount, type VerifyResult } from '@hardfix/sandbox';
import type { StageDeps } from './deps.js';

/**
 * Before a verification: installs (or finds cached) what the candidate's manifest declares. A package
 * the service will not or cannot install is the program's failure, returned as a failed verification
 * (type DependencyError), so the next prompt shows it like any error. A registry that does not answer
 * throws RegistryUnavailableError, which parks the project like a sandbox fault (stage-errors.ts): no
 * attempt is used and the stored candidate is verified again when the job re-runs.
 */
export async function prepareDependencies(
  deps: StageDeps,
  project: Project,
  files: ProjectFile[],
): Promise<{ mount?: DependencyMount; failed?: VerifyResult }> {
  if (!deps.dependencies) return {};
  const started = performance.now();
  try {
    const prepared = await deps.dependencies.prepare(project.language, files);
    const shown = { declared: prepared.declared, installed: prepared.installed };
    if (JSON.stringify(project.dependencies ?? { declared: [], installed: [] }) !== JSON.stringify(shown))
      await deps.store.update(project.id, (p) => ({ ...p, dependencies: shown }));
    return prepared.mount ? { mount: prepared.mount } : {};
  } catch (err) {
    if (!(err instanceof DependencyError)) throw err;
    return {
      failed: {
        ok: false,
        steps: [],
        durationMs: Math.round(performance.now() - started),
        error: {
          type: err.type,
          message: err.message,
          ...(err.file ? { file: err.file } : {}),
          ...(err.line ? { line: err.line } : {}),
        },
      },
    };
  }
}

/**
 * The policy a project's prompts state: DEPENDENCIES and DEPENDENCY_ALLOWLIST as the installer applies
 * them to its language's ecosystem (a name scoped to another ecosystem is not offered).
 */
export function dependencyPolicy(deps: StageDeps, language: Language): DependencyPolicy {
  const installer = deps.dependencies;
  if (!installer?.enabled) return { mode: 'off' };
  if (installer.allowlist.any) return { mode: 'any' };
  const ecosystem = adapterOf(language).dependencies?.ecosystem;
  return { mode: 'list', allowed: ecosystem ? installer.allowlist.listedFor(ecosystem) : [] };
}
