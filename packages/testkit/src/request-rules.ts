import { EFFORTS, type Effort, type ModelRules } from './model-rules.js';
import { strictSchemaProblem } from './strict-schema.js';

/** A request the model refuses: the 400 invalid_request_error message, naming the setting. */
export class RejectedRequest extends Error {}

/** How the accepted request thinks, as far as the fake's answer shows it. */
export interface ThinkingPlan {
  /** A thinking block comes before the answer. */
  thinks: boolean;
  /** `display: "omitted"` (empty thinking text, signature only) unless the request asked for summaries. */
  omitted: boolean;
  effort: Effort | undefined;
}

const SAMPLING_DEFAULTS: Record<string, number | undefined> = { temperature: 1, top_p: 1, top_k: undefined };

function effortOf(body: Record<string, unknown>, rules: ModelRules): Effort | undefined {
  const config = body.output_config;
  const raw = config && typeof config === 'object' ? (config as { effort?: unknown }).effort : undefined;
  if (raw === undefined) return rules.defaultEffort;
  if (rules.efforts.length === 0)
    throw new RejectedRequest(`output_config.effort: ${rules.id} does not support the effort parameter`);
  if (typeof raw !== 'string' || !(rules.efforts as readonly string[]).includes(raw))
    throw new RejectedRequest(
      `output_config.effort: ${JSON.stringify(raw)} is not supported for ${rules.id}; use one of ${rules.efforts.join(', ')}`,
    );
  return raw as Effort;
}

function checkToolChoice(body: Record<string, unknown>, rules: ModelRules, thinkingOn: boolean) {
  const choice = body.tool_choice as { type?: unknown } | undefined;
  const forced = choice?.type === 'tool' || choice?.type === 'any';
  if (!forced) return;
  if (!rules.forcedToolChoice)
    throw new RejectedRequest(
      `tool_choice.type: "${String(choice?.type)}" (forced tool use) is not supported for ${rules.id}. Use tool_choice {"type": "auto"} and ask for the tool in the prompt.`,
    );
  // Extended thinking has never combined with a forced tool (extended-thinking docs, "tool use").
  if (thinkingOn && !rules.thinksByDefault)
    throw new RejectedRequest('Thinking may not be enabled when tool_choice forces tool use.');
}

function checkSampling(body: Record<string, unknown>, rules: ModelRules) {
  const set = Object.keys(SAMPLING_DEFAULTS).filter((k) => body[k] !== undefined);
  if (set.length === 0 || rules.sampling === 'any') return;
  if (rules.sampling === 'one-of') {
    if (set.includes('temperature') && set.includes('top_p'))
      throw new RejectedRequest(
        'temperature and top_p cannot both be specified for this model. Please use only one.',
      );
    return;
  }
  for (const key of set) {
    if (rules.sampling === 'defaults-only' && body[key] === SAMPLING_DEFAULTS[key]) continue;
    throw new RejectedRequest(
      `\`${key}\` is deprecated for this model (${rules.id}); remove it from the request.`,
    );
  }
}

function checkPrefill(body: Record<string, unknown>, rules: ModelRules) {
  const messages = body.messages as { role?: unknown }[];
  if (rules.prefill || messages.at(-1)?.role !== 'assistant') return;
  throw new RejectedRequest(
    `This model (${rules.id}) does not support assistant message prefill. The conversation must end with a user message.`,
  );
}

function checkStrictTools(body: Record<string, unknown>) {
  const tools = Array.isArray(body.tools)
    ? (body.tools as { strict?: unknown; input_schema?: unknown }[])
    : [];
  tools.forEach((tool, i) => {
    if (tool?.strict !== true) return;
    const problem = strictSchemaProblem(tool.input_schema);
    if (problem)
      throw new RejectedRequest(
        `tools.${i}.custom.input_schema: strict tool use does not support ${problem}; see the JSON Schema limitations of structured outputs.`,
      );
  });
}

function thinkingPlan(
  body: Record<string, unknown>,
  rules: ModelRules,
  effort: Effort | undefined,
): ThinkingPlan {
  const thinking = body.thinking as
    | { type?: unknown; budget_tokens?: unknown; display?: unknown }
    | undefined;
  const type = thinking?.type;
  const summarized = thinking?.display === 'summarized';
  if (thinking === undefined)
    return { thinks: rules.thinksByDefault, omitted: rules.thinksByDefault, effort };
  if (typeof type !== 'string' || !(rules.thinkingTypes as readonly string[]).includes(type)) {
    const hint = rules.thinkingTypes.includes('between_tools')
      ? 'Use "thinking.type.between_tools" to turn off up-front thinking, or "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.'
      : rules.thinkingTypes.includes('adaptive')
        ? 'Use "thinking.type.adaptive" and "output_config.effort" to control thinking behavior.'
        : `Use one of: ${rules.thinkingTypes.join(', ')}.`;
    throw new RejectedRequest(`"thinking.type.${String(type)}" is not supported for this model. ${hint}`);
  }
  const rank = (e: Effort | undefined) => (e === undefined ? -1 : EFFORTS.indexOf(e));
  switch (type) {
    case 'disabled':
      if (rules.disabledUpToEffort && rank(effort) > rank(rules.disabledUpToEffort))
        throw new RejectedRequest(
          `"thinking.type.disabled" is only supported with output_config.effort up to "${rules.disabledUpToEffort}" on ${rules.id}.`,
        );
      return { thinks: false, omitted: false, effort };
    case 'between_tools':
      if (rules.betweenToolsEfforts && (effort === undefined || !rules.betweenToolsEfforts.includes(effort)))
        throw new RejectedRequest(
          `"thinking.type.between_tools" is not supported with output_config.effort "${effort}"; use ${rules.betweenToolsEfforts.join(', ')}, or adaptive thinking for higher effort.`,
        );
      // Up-front thinking is off; one answer with one tool call has no "between tools" to think in.
      return { thinks: false, omitted: false, effort };
    case 'enabled': {
      const budget = thinking?.budget_tokens;
      if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 1024)
        throw new RejectedRequest(
          'thinking.enabled.budget_tokens: Input should be an integer greater than or equal to 1024',
        );
      if (budget >= (body.max_tokens as number))
        throw new RejectedRequest('`max_tokens` must be greater than `thinking.budget_tokens`.');
      // Extended-thinking models return summarized thinking by default.
      return { thinks: true, omitted: thinking?.display === 'omitted', effort };
    }
    default:
      return { thinks: true, omitted: !summarized, effort };
  }
}

/**
 * Applies a model's documented rules to a parsed request body; throws RejectedRequest with the message the
 * API's 400 would carry, else says how the answer thinks.
 */
export function applyModelRules(body: Record<string, unknown>, rules: ModelRules): ThinkingPlan {
  const maxTokens = body.max_tokens as number;
  if (maxTokens > rules.maxOutputTokens)
    throw new RejectedRequest(
      `max_tokens: ${maxTokens} > ${rules.maxOutputTokens}, which is the maximum allowed number of output tokens for ${rules.id}`,
    );
  checkSampling(body, rules);
  checkPrefill(body, rules);
  checkStrictTools(body);
  const effort = effortOf(body, rules);
  const plan = thinkingPlan(body, rules, effort);
  checkToolChoice(body, rules, plan.thinks);
  const choice = body.tool_choice as { type?: unknown } | undefined;
  // A forced tool (where the model allows one) answers with the tool call alone.
  if (choice?.type === 'tool' || choice?.type === 'any') return { ...plan, thinks: false };
  return plan;
}
