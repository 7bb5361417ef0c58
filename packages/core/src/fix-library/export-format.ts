import {
  type FixExportRecord,
  type FixesImportResult,
  type LegacyFixRecord,
  legacyFixRecordSchema,
} from '@hardfix/contracts';
import type { FixLibrary } from './store.js';
import type { ProvenFix } from './types.js';

/** A record that failed validation: which one, which field, why. */
export class InvalidFixRecordError extends Error {
  readonly code = 'invalid_fix_record';
  constructor(
    readonly index: number,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`record ${index}${field ? `, field ${field}` : ''}: ${reason}`);
    this.name = 'InvalidFixRecordError';
  }
}

/**
 * Validates every record before anything is written, so a bad file imports nothing. Throws the first
 * bad record (by index) as InvalidFixRecordError.
 */
export function parseFixRecords(data: unknown): LegacyFixRecord[] {
  if (!Array.isArray(data))
    throw new InvalidFixRecordError(-1, '', 'the library must be a JSON array of fix records');
  return data.map((raw, index) => {
    const result = legacyFixRecordSchema.safeParse(raw);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    throw new InvalidFixRecordError(index, issue?.path.join('.') ?? '', issue?.message ?? 'is invalid');
  });
}

/** A fix in the export format: the seed's fields first, then this system's (all of them, for round trips). */
export function toLegacyRecord(fix: ProvenFix): FixExportRecord {
  return {
    error_signature: fix.error_signature,
    error_type: fix.error_type,
    language: fix.language,
    fix_description: fix.fix_description,
    working_code: fix.working_code,
    success_count: fix.success_count,
    total_attempts: fix.total_attempts,
    used_by_projects: fix.used_by_projects,
    first_success: fix.first_success,
    last_used: fix.last_used,
    fix_id: fix.fix_id,
    failure_count: fix.failure_count,
    signature_version: fix.signature_version,
    fix_source: fix.fix_source,
    ...(fix.original_code !== undefined ? { original_code: fix.original_code } : {}),
    ...(fix.patch !== undefined ? { patch: fix.patch } : {}),
    recent_outcomes: fix.recent_outcomes,
    aliases: fix.aliases,
    provenance: fix.provenance,
    ...(fix.pattern !== undefined ? { pattern: fix.pattern } : {}),
    ...(fix.error_message !== undefined ? { error_message: fix.error_message } : {}),
    ...(fix.error_scope !== undefined ? { error_scope: fix.error_scope } : {}),
    ...(fix.imported ? { imported: fix.imported } : {}),
  };
}

export async function exportFixes(library: FixLibrary): Promise<FixExportRecord[]> {
  const out: FixExportRecord[] = [];
  for await (const fix of library.all()) out.push(toLegacyRecord(fix));
  return out;
}

/** Imports validated records one atomic merge at a time (see FixLibrary.importRecord). */
export async function importFixes(
  library: FixLibrary,
  records: LegacyFixRecord[],
): Promise<FixesImportResult> {
  const result: FixesImportResult = { added: 0, merged: 0, skipped: 0 };
  for (const record of records) result[await library.importRecord(record)] += 1;
  return result;
}
