import { canonicalLanguage, LANGUAGE_NAMES } from '@hardfix/languages';
import { z } from 'zod';
import { languageSchema } from './names.js';

/**
 * The Python system wrote short language names; both spellings are accepted and stored canonically
 * (each adapter's aliases).
 */
export { canonicalLanguage };

export const fixLanguageSchema = z
  .string()
  .transform((v, ctx) => {
    const language = canonicalLanguage(v);
    if (!language) ctx.addIssue({ code: 'custom', message: `must be one of ${LANGUAGE_NAMES.join(', ')}` });
    return language ?? 'python';
  })
  .pipe(languageSchema);

export const FIX_RECORD_SOURCES = ['llm', 'manual', 'library', 'import'] as const;
export const fixRecordSourceSchema = z.enum(FIX_RECORD_SOURCES);
export type FixRecordSource = z.infer<typeof fixRecordSourceSchema>;

/** The Python system wrote naive local times (`datetime.now().isoformat()`); they are read as UTC. */
export const fixTimestampSchema = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const zoned = /(?:Z|[+-]\d\d:?\d\d)$/i.test(v) ? v : `${v}Z`;
    const ms = Date.parse(zoned);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time' });
      return v;
    }
    return new Date(ms).toISOString();
  });

const count = z.number().int().nonnegative();

/**
 * Where a fix was proven: `local` (this service verified it) or `imported` (through POST /fixes/import,
 * proven elsewhere). An imported fix ranks below every local one until it has worked here.
 */
export const FIX_PROVENANCES = ['local', 'imported'] as const;
export const fixProvenanceSchema = z.enum(FIX_PROVENANCES);
export type FixProvenance = z.infer<typeof fixProvenanceSchema>;

const metavariable = z.number().int().min(0).max(63);

/**
 * A fix's edit pattern (see core's edit-pattern.ts): `import` lines to put where the language's imports
 * go, and token `rewrite`s whose `before` holds token texts and metavariable numbers and whose `after`
 * holds text and metavariable numbers.
 */
export const editPatternSchema = z.object({
  anchor: z.string().min(1).max(200).optional(),
  edits: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('import'), line: z.string().trim().min(1).max(500) }),
        z.object({
          kind: z.literal('rewrite'),
          before: z
            .array(z.union([z.string().min(1).max(500), metavariable]))
            .min(1)
            .max(64),
          after: z.array(z.union([z.string().max(2000), metavariable])).max(128),
        }),
      ]),
    )
    .min(1)
    .max(8),
});
export type EditPattern = z.infer<typeof editPatternSchema>;
export type PatternEdit = EditPattern['edits'][number];
const signature = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  .regex(/^[\w.-]+$/, 'must match ^[\\w.-]+$');

/**
 * One record of the seed's `hard_fixes_database.json` (snake_case). The fields after `last_used` are
 * this system's additions: optional, so a file written by the Python system imports as it is.
 */
export const legacyFixRecordSchema = z.object({
  error_signature: signature,
  error_type: z.string().trim().min(1, 'must not be empty').max(200),
  language: fixLanguageSchema,
  fix_description: z.string().max(2000).default(''),
  working_code: z.string().max(1_000_000),
  success_count: count,
  total_attempts: count,
  used_by_projects: z.array(z.string().min(1).max(200)).max(100_000).default([]),
  first_success: fixTimestampSchema,
  last_used: fixTimestampSchema,
  /** Several fixes may share a signature; the first one's id is the signature itself. */
  fix_id: signature.optional(),
  failure_count: count.optional(),
  /** 0 = the Python system's signature (its algorithm is unknown, so only the stored value matches). */
  signature_version: z.number().int().nonnegative().optional(),
  fix_source: fixRecordSourceSchema.optional(),
  original_code: z.string().max(1_000_000).optional(),
  patch: z.string().max(2_000_000).optional(),
  /** The last outcomes of this fix, oldest first: "1" verified, "0" did not. */
  recent_outcomes: z
    .string()
    .regex(/^[01]*$/, 'must contain only 0 and 1')
    .max(64)
    .optional(),
  /** Further signatures (e.g. computed by a newer algorithm) under which this fix is offered. */
  aliases: z.array(signature).max(100).optional(),
  /** The edit learnt from the fix, applied at the anchor in other programs. */
  pattern: editPatternSchema.optional(),
  /** The error the fix repaired, so its signature can be recomputed when the algorithm changes. */
  error_message: z.string().max(4000).optional(),
  error_scope: z.string().max(4000).optional(),
  /**
   * The history an export carries from its own imports (see importedHistorySchema): added to this
   * record's counters, the whole becomes the fix's imported history here.
   */
  imported: z
    .object({
      success_count: count,
      total_attempts: count,
      failure_count: count,
      recent_outcomes: z
        .string()
        .regex(/^[01]*$/, 'must contain only 0 and 1')
        .max(64),
      used_by_projects: z.array(z.string().min(1).max(200)).max(100_000),
    })
    .optional(),
});
export type LegacyFixRecordInput = z.input<typeof legacyFixRecordSchema>;
export type LegacyFixRecord = z.output<typeof legacyFixRecordSchema>;

export const fixesImportBodySchema = z.array(z.unknown()).max(100_000);

/** The seed record's own fields as answers carry them (plain types: they were checked on the way in). */
const servedSeedFields = {
  fix_description: z.string(),
  working_code: z.string(),
  success_count: z.number(),
  total_attempts: z.number(),
  used_by_projects: z.array(z.string()),
  first_success: z.string(),
  last_used: z.string(),
};

/**
 * What imports said about a fix's past elsewhere (their success_count, total_attempts, failure_count,
 * recent_outcomes and used_by_projects, summed over every import): shown, exported, never used to rank
 * or demote it. The fix's own counters start at zero when it is imported and count only this service.
 */
export const importedHistorySchema = z.object({
  success_count: z.number(),
  total_attempts: z.number(),
  failure_count: z.number(),
  recent_outcomes: z.string(),
  used_by_projects: z.array(z.string()),
});
export type ImportedHistory = z.infer<typeof importedHistorySchema>;

/** A fix as GET /fixes shows it: the legacy record with every optional field filled in, and its state. */
export const fixViewSchema = z.object({
  error_signature: z.string(),
  fix_id: z.string(),
  error_type: z.string(),
  language: languageSchema,
  ...servedSeedFields,
  failure_count: z.number(),
  signature_version: z.number(),
  fix_source: fixRecordSourceSchema,
  original_code: z.string().optional(),
  patch: z.string().optional(),
  recent_outcomes: z.string(),
  aliases: z.array(z.string()),
  /** No longer offered: fewer than half of its recent uses verified. */
  demoted: z.boolean(),
  provenance: fixProvenanceSchema,
  /** Verified uses in this service (for an imported fix: since it was imported). */
  local_success_count: z.number(),
  pattern: editPatternSchema.optional(),
  error_message: z.string().optional(),
  error_scope: z.string().optional(),
  /**
   * What proved it: "tests" when a verification with passing tests accepted it (at least once), else
   * "run-only" (the entry exited 0 in a project without tests, or an import). Lookups offer test-proven
   * fixes first.
   */
  evidence: z.enum(['tests', 'run-only']),
  /** Present once the fix has been imported (alone, or into a fix of the same id). */
  imported: importedHistorySchema.optional(),
  /** Requirement lines the fix adds to the project's manifest (a missing module's distribution). */
  dependencies: z.array(z.string()).optional(),
});
export type FixView = z.infer<typeof fixViewSchema>;

export const listFixesQuerySchema = z.object({
  language: fixLanguageSchema.optional(),
  errorType: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(400).optional(),
});

export const fixPageSchema = z.object({
  items: z.array(fixViewSchema),
  total: z.number().int().nonnegative(),
  nextCursor: z.string().optional(),
});

export const fixSignatureParamsSchema = z.object({ signature: signature });

export const fixesDeletedSchema = z.object({ deleted: z.number().int().positive() });

export const fixesImportResultSchema = z.object({
  added: z.number().int().nonnegative(),
  merged: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});
export type FixesImportResult = z.infer<typeof fixesImportResultSchema>;

/** A record of GET /fixes/export: the legacy fields, then this system's (plain types, for the serializer). */
export const fixExportRecordSchema = z.object({
  error_signature: z.string(),
  error_type: z.string(),
  language: z.string(),
  ...servedSeedFields,
  fix_id: z.string().optional(),
  failure_count: z.number().optional(),
  signature_version: z.number().optional(),
  fix_source: z.string().optional(),
  original_code: z.string().optional(),
  patch: z.string().optional(),
  recent_outcomes: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  provenance: z.string().optional(),
  pattern: editPatternSchema.optional(),
  error_message: z.string().optional(),
  error_scope: z.string().optional(),
  imported: importedHistorySchema.optional(),
});

export const fixesExportSchema = z.array(fixExportRecordSchema);

/** 400 from POST /fixes/import: which record and field were refused. */
export const invalidFixRecordBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  details: z.object({ index: z.number().int(), field: z.string() }).optional(),
});
export type FixExportRecord = z.infer<typeof fixExportRecordSchema>;
