import type Anthropic from '@anthropic-ai/sdk';
import { type ToolDefinition, toolInputJsonSchema } from '@hardfix/contracts';
import type { z } from 'zod';
import type { Effort, ModelSpec } from './models.js';

/** How much a stage wants the model to think before it answers. */
export interface Reasoning {
  effort: Effort;
  /** Up-front thinking; turned off only where the model has a setting for it. */
  think: boolean;
}

export const DEFAULT_REASONING: Reasoning = { effort: 'medium', think: true };

/**
 * The one tool call the service wants, asked for under `tool_choice: auto` on models that refuse a
 * forced tool: the instruction leaves no other way to answer, and a prose answer is asked again.
 */
export function toolInstruction(toolName: string): string {
  return `Answer by calling the ${toolName} tool exactly once, with the complete input; do not answer in prose.`;
}

/** Said after an answer that called no tool, or was cut off, so the next one does. */
export function nudgeFor(toolName: string, kind: 'prose' | 'truncated'): string {
  return kind === 'prose'
    ? `Your previous answer gave no ${toolName} call. ${toolInstruction(toolName)}`
    : `Your previous ${toolName} call was cut off at the output limit. Call it again, complete; keep explanations short.`;
}

/**
 * Keywords strict tool use does not accept (https://platform.claude.com/docs/en/build-with-claude/
 * structured-outputs#json-schema-limitations: numerical and string constraints, array constraints
 * beyond minItems 0 or 1). They are dropped from what the model sees; the zod schema still checks
 * every answer, so a length or range is still enforced, as a failed answer rather than by decoding.
 */
const NOT_IN_STRICT = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
]);

export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (NOT_IN_STRICT.has(key)) continue;
    if (key === 'minItems' && typeof value === 'number' && value > 1) {
      out[key] = 1;
      continue;
    }
    out[key] = key === 'properties' ? mapValues(value, strictSchema) : strictSchema(value);
  }
  if (out.type === 'object') out.additionalProperties = false;
  return out;
}

function mapValues(value: unknown, fn: (v: unknown) => unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v)]));
}

export interface ShapeInput<S extends z.ZodType> {
  /** The id as configured (a dated snapshot keeps its date; the row may be its family's). */
  model: string;
  tool: ToolDefinition<S>;
  system: string;
  user: string;
  context?: string | undefined;
  reasoning?: Reasoning | undefined;
  maxTokens: number;
  /** Mark system and context for prompt caching. */
  cache: boolean;
  /** Appended to the user message when the last answer was unusable. */
  nudge?: string | undefined;
}

/** What the request will carry, decided from the model's row: never a setting the row says it refuses. */
export function shapeRequest<S extends z.ZodType>(
  spec: ModelSpec,
  input: ShapeInput<S>,
): Anthropic.MessageCreateParamsNonStreaming {
  const reasoning = input.reasoning ?? DEFAULT_REASONING;
  const effort = spec.efforts?.includes(reasoning.effort) ? reasoning.effort : undefined;
  const off = spec.thinking.off;
  const offAllowed =
    off !== undefined && (effort === undefined || (spec.thinking.offEfforts ?? []).includes(effort));
  const thinkingOff = !reasoning.think && offAllowed ? off : undefined;
  const thinks = spec.thinking.byDefault && thinkingOff === undefined;
  // A forced tool is refused by the current models, and by every model while it thinks.
  const forced = spec.forcedToolChoice && !thinks;
  const ephemeral = { type: 'ephemeral' } as const;
  const text = (t: string, cached = false): Anthropic.TextBlockParam =>
    cached && input.cache ? { type: 'text', text: t, cache_control: ephemeral } : { type: 'text', text: t };
  const instruction = forced ? undefined : toolInstruction(input.tool.name);
  const tail = [input.user, instruction, input.nudge].filter((t): t is string => Boolean(t));
  const content: Anthropic.MessageParam['content'] =
    input.context === undefined && tail.length === 1
      ? input.user
      : [...(input.context === undefined ? [] : [text(input.context, true)]), ...tail.map((t) => text(t))];
  const schema = toolInputJsonSchema(input.tool.schema);
  return {
    model: input.model,
    max_tokens: Math.min(input.maxTokens, spec.maxOutputTokens),
    // The cache covers tools, system and the context block, in that order (one prefix).
    system: [text(input.system, true)],
    messages: [{ role: 'user', content }],
    tools: [
      {
        name: input.tool.name,
        description: input.tool.description,
        input_schema: (spec.strictTools ? strictSchema(schema) : schema) as Anthropic.Tool.InputSchema,
        ...(spec.strictTools ? { strict: true } : {}),
      },
    ],
    tool_choice: forced ? { type: 'tool', name: input.tool.name } : { type: 'auto' },
    ...(thinkingOff ? { thinking: { type: thinkingOff } } : {}),
    ...(effort ? { output_config: { effort } } : {}),
  };
}
