import { z } from 'zod';
import { projectFilesSchema } from './names.js';

/** Tool names are part of the contract: the simulated endpoint and real prompts both use them. */
export const TOOL_NAMES = {
  writeFiles: 'write_files',
  reportAnalysis: 'report_analysis',
  replaceBlock: 'replace_block',
} as const;

/** A model's answer is held to the same rules as an import: a repeated or unsafe path fails the attempt. */
export const writeFilesInputSchema = z.object({
  files: projectFilesSchema,
  entry: z.string().optional(),
  notes: z.string().optional(),
});
export type WriteFilesInput = z.infer<typeof writeFilesInputSchema>;

export const reportAnalysisInputSchema = z.object({
  confidence: z.number().min(0).max(1),
  diagnosis: z.string(),
  plan: z.string(),
});
export type ReportAnalysisInput = z.infer<typeof reportAnalysisInputSchema>;

export const replaceBlockInputSchema = z.object({
  code: z.string(),
  explanation: z.string().optional(),
  /**
   * Requirement lines to add to the project's manifest (requirements.txt: `name` or `name==version`;
   * package.json: `name` or `name@range`): the fix for a missing third-party module is its distribution.
   */
  dependencies: z.array(z.string().min(1).max(120)).max(20).optional(),
});
export type ReplaceBlockInput = z.infer<typeof replaceBlockInputSchema>;

export interface ToolDefinition<S extends z.ZodType> {
  name: string;
  description: string;
  schema: S;
}

export const TOOLS = {
  writeFiles: {
    name: TOOL_NAMES.writeFiles,
    description:
      'Write the complete project: every file with its relative path and full content, and the entry point if it is not the default.',
    schema: writeFilesInputSchema,
  },
  reportAnalysis: {
    name: TOOL_NAMES.reportAnalysis,
    description:
      'Report why the attempts failed: confidence (0..1) that a retry following the plan will work, the diagnosis, and the plan.',
    schema: reportAnalysisInputSchema,
  },
  replaceBlock: {
    name: TOOL_NAMES.replaceBlock,
    description:
      'Give the replacement for the shown code block: its whole line range, nothing else; and, when the fix is a package to declare, the requirement lines to add to the manifest.',
    schema: replaceBlockInputSchema,
  },
} as const satisfies Record<string, ToolDefinition<z.ZodType>>;

/** JSON Schema for the Messages API `tools[].input_schema`, derived from the zod schema. */
export function toolInputJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<
    string,
    unknown
  >;
  return rest;
}
