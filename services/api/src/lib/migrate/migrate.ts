import { type Language, QUEUES } from '@hardfix/contracts';
import {
  ENTRY_STATES,
  enqueueStage,
  errorSignature,
  type FixLibrary,
  importFixes,
  keys,
  type ProjectStore,
  type StageQueues,
} from '@hardfix/core';
import type { Redis } from 'ioredis';
import { type FoundProject, findProjectFiles, languageOf, readSeedFolder } from './seed-files.js';

export interface MigrateDeps {
  redis: Redis;
  prefix: string;
  store: ProjectStore;
  queues: StageQueues;
  library: FixLibrary;
}

export interface MigrateReport {
  dryRun: boolean;
  files: string[];
  fixes: { added: number; merged: number; skipped: number; valid: number; aliased: number };
  /** Active and retry-queue projects handed to hard fix as imports. */
  enqueued: string[];
  /** Abandoned projects put in manual review. */
  review: string[];
  /** Names already in the store (an earlier run, or a name taken): nothing done. */
  existing: string[];
  /** Active or retry projects whose files were not found: not imported. */
  missingFiles: string[];
}

interface Plan {
  name: string;
  kind: 'enqueue' | 'review';
  language: Language | undefined;
  found: FoundProject | undefined;
  errorLog: string | undefined;
}

/**
 * Moves the Python system's `implementations/` folder in: fixes into the library, queued projects to
 * hard fix (as imports, so they are first run as they are), abandoned ones to manual review. Every
 * file is read and validated before the first write, so a bad file imports nothing; project names are
 * unique in the store and fix imports are fingerprinted, so a second run adds nothing.
 */
export async function migrate(deps: MigrateDeps, folder: string, dryRun: boolean): Promise<MigrateReport> {
  const seed = await readSeedFolder(folder);
  const plans: Plan[] = [];
  const seen = new Set<string>();
  const plan = async (p: Omit<Plan, 'found'> & { dir: string | undefined }) => {
    if (seen.has(p.name)) return;
    seen.add(p.name);
    const found = await findProjectFiles(folder, p.name, p.dir);
    plans.push({
      name: p.name,
      kind: p.kind,
      language: p.language ?? found?.language,
      found,
      errorLog: p.errorLog,
    });
  };
  // Abandoned first: a project listed as abandoned and active is not worth another automatic round.
  for (const r of seed.abandoned) {
    const language = languageOf(r.language ?? r.error_data?.language);
    const errorLog = r.error_data ? `${r.error_data.error_type}: ${r.error_data.error_message}` : r.reason;
    await plan({ name: r.project_name, kind: 'review', language, dir: r.project_dir, errorLog });
  }
  for (const r of seed.active) {
    const { error_type, error_message, language } = r.error_data;
    await plan({
      name: r.project_name,
      kind: 'enqueue',
      language: languageOf(language),
      dir: r.project_dir,
      errorLog: `${error_type}: ${error_message}`,
    });
  }
  for (const r of seed.retry) {
    await plan({
      name: r.project_name,
      kind: 'enqueue',
      language: languageOf(r.language),
      dir: r.project_dir,
      errorLog: r.last_error,
    });
  }

  const report: MigrateReport = {
    dryRun,
    files: seed.found,
    fixes: { added: 0, merged: 0, skipped: 0, valid: seed.fixes.length, aliased: 0 },
    enqueued: [],
    review: [],
    existing: [],
    missingFiles: [],
  };
  if (!dryRun) Object.assign(report.fixes, await importFixes(deps.library, seed.fixes));

  // The seed's signatures came from an unknown algorithm; where a queued project tells us the error
  // behind one, the fix is also offered under this system's signature of that error.
  if (!dryRun) {
    const known = new Set(seed.fixes.map((f) => f.fix_id ?? f.error_signature));
    for (const r of [...seed.active, ...seed.abandoned]) {
      const e = r.error_data;
      const language = languageOf(e?.language);
      if (!e?.error_signature || !known.has(e.error_signature) || !language) continue;
      const current = errorSignature({ language, type: e.error_type, message: e.error_message });
      if (await deps.library.addAlias(e.error_signature, current)) report.fixes.aliased++;
    }
  }

  for (const p of plans) {
    if (p.kind === 'enqueue' && !p.found) {
      report.missingFiles.push(p.name);
      continue;
    }
    const language = p.language ?? 'python';
    if (dryRun) {
      (p.kind === 'enqueue' ? report.enqueued : report.review).push(p.name);
      continue;
    }
    const files = {
      files: p.found?.files ?? [],
      ...(p.errorLog !== undefined ? { errorLog: p.errorLog } : {}),
    };
    const result = await deps.store.create(
      p.kind === 'enqueue'
        ? { name: p.name, language, ...ENTRY_STATES.import, files }
        : { name: p.name, language, ...ENTRY_STATES.review, files },
    );
    if (!result.created) {
      // A run that died between the record and the job: the job id is deterministic, so add it again.
      const existing = await deps.store.get(result.existingId);
      if (p.kind === 'enqueue' && existing?.stage === 'import' && existing.status === 'queued') {
        await enqueueStage(deps.queues, QUEUES.hardFix, existing.id, 1);
      }
      report.existing.push(p.name);
      continue;
    }
    if (p.kind === 'enqueue') {
      await enqueueStage(deps.queues, QUEUES.hardFix, result.project.id, 1);
      report.enqueued.push(p.name);
    } else {
      report.review.push(p.name);
    }
  }
  if (dryRun) {
    // Say honestly what a real run would skip: names already taken are visible without writing.
    const taken = await Promise.all(
      [...report.enqueued, ...report.review].map(async (n) =>
        (await deps.redis.exists(keys(deps.prefix).projectName(n))) ? n : undefined,
      ),
    );
    report.existing = taken.filter((n): n is string => !!n);
    report.enqueued = report.enqueued.filter((n) => !report.existing.includes(n));
    report.review = report.review.filter((n) => !report.existing.includes(n));
  }
  return report;
}

export function formatReport(r: MigrateReport): string {
  const list = (names: string[]) => (names.length ? `: ${names.join(', ')}` : '');
  const would = r.dryRun ? 'would be ' : '';
  return [
    `${r.dryRun ? 'DRY RUN, nothing written. ' : ''}read ${r.files.length ? r.files.join(', ') : 'no seed files'}`,
    r.dryRun
      ? `fixes: ${r.fixes.valid} valid records (not imported)`
      : `fixes: ${r.fixes.added} added, ${r.fixes.merged} merged, ${r.fixes.skipped} skipped; ${r.fixes.aliased} offered under this system's signature`,
    `projects ${would}queued for hard fix: ${r.enqueued.length}${list(r.enqueued)}`,
    `projects ${would}put in manual review: ${r.review.length}${list(r.review)}`,
    `projects already imported: ${r.existing.length}${list(r.existing)}`,
    `projects not imported, files not found: ${r.missingFiles.length}${list(r.missingFiles)}`,
  ].join('\n');
}
