/*
 * What the real Messages API accepts, per model id, as the fake applies it. Written from the documentation,
 * independently of the client's model table in packages/llm (do not import one from the other): a wrong row in
 * either shows up as a test that fails against the other. Each row cites the pages it came from.
 *
 * Where a page was not explicit the row takes the stricter reading and says so: a test server that refuses a
 * little more than the API costs a client nothing, one that accepts more hides a request the API refuses.
 */

export const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;
export type Effort = (typeof EFFORTS)[number];
export type ThinkingType = 'adaptive' | 'enabled' | 'disabled' | 'between_tools';

export interface ModelRules {
  readonly id: string;
  /** `tool_choice` `{type:"tool"}` / `{type:"any"}` accepted. */
  readonly forcedToolChoice: boolean;
  /**
   * `temperature` / `top_p` / `top_k`: `any` value; `one-of` any value but not `temperature` with `top_p`;
   * `defaults-only` (a non-default value is refused); `none` (any value is refused).
   */
  readonly sampling: 'any' | 'one-of' | 'defaults-only' | 'none';
  /** A last message with role `assistant` (prefill) accepted. */
  readonly prefill: boolean;
  /** The `thinking.type` values the model accepts. */
  readonly thinkingTypes: readonly ThinkingType[];
  /** Without a `thinking` field the model thinks (adaptive) before it answers. */
  readonly thinksByDefault: boolean;
  /** `thinking: {type:"disabled"}` only up to this effort (Opus 5). */
  readonly disabledUpToEffort?: Effort;
  /** `thinking: {type:"between_tools"}` only at these efforts (Sonnet 5.5). */
  readonly betweenToolsEfforts?: readonly Effort[];
  /** Accepted `output_config.effort` values; empty when the model takes no effort parameter. */
  readonly efforts: readonly Effort[];
  readonly defaultEffort?: Effort;
  /** The most `max_tokens` the model accepts (the synchronous Messages API limit). */
  readonly maxOutputTokens: number;
  /** The shortest prefix the prompt cache keeps, in tokens. */
  readonly minCacheTokens: number;
}

const ALL_EFFORTS = EFFORTS;

const RULES: readonly ModelRules[] = [
  // https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5
  // https://platform.claude.com/docs/en/models/sonnet-5-5/migration-guide
  //   ("leaves out five settings that return a 400 error: thinking budgets, sampling parameters, assistant
  //   prefill, forced tool choice, and thinking: {"type": "disabled"}"; between_tools at low/medium/high only;
  //   adaptive on by default, default effort high; minimum cacheable prompt 512 tokens)
  // https://platform.claude.com/docs/en/models/opus-5/overview (lineup table: Sonnet 5.5, 1M context, 128K output)
  // The 5.5 pages name "sampling parameters" without Sonnet 5's "non-default" qualifier: any value is refused here.
  {
    id: 'claude-sonnet-5-5',
    forcedToolChoice: false,
    sampling: 'none',
    prefill: false,
    thinkingTypes: ['adaptive', 'between_tools'],
    thinksByDefault: true,
    betweenToolsEfforts: ['low', 'medium', 'high'],
    efforts: ALL_EFFORTS,
    defaultEffort: 'high',
    maxOutputTokens: 128_000,
    minCacheTokens: 512,
  },
  // https://platform.claude.com/docs/en/models/opus-5-5/whats-new-opus-5-5
  //   (thinking can't be disabled: "disabled" and {type:"enabled", budget_tokens} answer 400; forced tool use
  //   returns an error; adaptive always on, default effort medium)
  // https://platform.claude.com/docs/en/models/opus-5-5/overview (1M context, 128K output)
  // Prefill has answered 400 since the 4.6 models
  // (https://platform.claude.com/docs/en/about-claude/models/migration-guide); sampling as Sonnet 5.5.
  // Minimum cacheable prompt: the 512 of Opus 5 (https://platform.claude.com/docs/en/about-claude/models/whats-new-opus-5);
  // no Opus 5.5 page found restates it.
  {
    id: 'claude-opus-5-5',
    forcedToolChoice: false,
    sampling: 'none',
    prefill: false,
    thinkingTypes: ['adaptive'],
    thinksByDefault: true,
    efforts: ALL_EFFORTS,
    defaultEffort: 'medium',
    maxOutputTokens: 128_000,
    minCacheTokens: 512,
  },
  // https://platform.claude.com/docs/en/models/sonnet-5/migration-guide
  //   (adaptive thinking on by default; {type:"enabled", budget_tokens} returns 400; sampling parameters set to
  //   non-default values return 400; 1M context, 128K output)
  // https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5 (Sonnet 5 accepts "disabled"
  //   and forced tool choice: both are listed as what changes on 5.5)
  // Prompt caching minimum 1,024 tokens: https://platform.claude.com/docs/en/build-with-claude/prompt-caching
  {
    id: 'claude-sonnet-5',
    forcedToolChoice: true,
    sampling: 'defaults-only',
    prefill: false,
    thinkingTypes: ['adaptive', 'disabled'],
    thinksByDefault: true,
    efforts: ALL_EFFORTS,
    defaultEffort: 'high',
    maxOutputTokens: 128_000,
    minCacheTokens: 1_024,
  },
  // https://platform.claude.com/docs/en/about-claude/models/whats-new-opus-5
  //   (thinking on by default; "disabled" only at effort high or below; minimum cacheable prompt 512;
  //   1M context, 128K output, default effort high)
  // https://platform.claude.com/docs/en/models/opus-5-5/whats-new-opus-5-5 (Opus 5 accepts forced tool use)
  // Budgets and non-default sampling were removed at Opus 4.7
  // (https://platform.claude.com/docs/en/about-claude/models/migration-guide).
  {
    id: 'claude-opus-5',
    forcedToolChoice: true,
    sampling: 'defaults-only',
    prefill: false,
    thinkingTypes: ['adaptive', 'disabled'],
    thinksByDefault: true,
    disabledUpToEffort: 'high',
    efforts: ALL_EFFORTS,
    defaultEffort: 'high',
    maxOutputTokens: 128_000,
    minCacheTokens: 512,
  },
  // https://platform.claude.com/docs/en/models/opus-5-5/overview (lineup table: Haiku 4.5, 200K context,
  //   64K output, "Extended" thinking, no effort)
  // https://platform.claude.com/docs/en/build-with-claude/prompt-caching (minimum 4,096 tokens for Haiku 4.5)
  // https://platform.claude.com/docs/en/about-claude/models/migration-guide (4.5 models: temperature and
  //   top_p cannot both be set; prefill still accepted before 4.6)
  {
    id: 'claude-haiku-4-5',
    forcedToolChoice: true,
    sampling: 'one-of',
    prefill: true,
    thinkingTypes: ['enabled', 'disabled'],
    thinksByDefault: false,
    efforts: [],
    maxOutputTokens: 64_000,
    minCacheTokens: 4_096,
  },
  // The older, permissive model: forced tool choice, sampling, prefill and thinking budgets all accepted.
  // https://platform.claude.com/docs/en/about-claude/models/migration-guide (Sonnet 4.5: extended thinking
  //   with budget_tokens, no adaptive thinking and no effort, temperature and top_p not both)
  // https://platform.claude.com/docs/en/build-with-claude/prompt-caching (minimum 1,024 tokens; 64K output)
  {
    id: 'claude-sonnet-4-5',
    forcedToolChoice: true,
    sampling: 'one-of',
    prefill: true,
    thinkingTypes: ['enabled', 'disabled'],
    thinksByDefault: false,
    efforts: [],
    maxOutputTokens: 64_000,
    minCacheTokens: 1_024,
  },
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/**
 * The rules for a model id, or undefined when the API would answer 404 for it. Dated snapshots
 * (`claude-sonnet-4-5-20250929`) resolve to their alias's row.
 */
export function rulesFor(model: string): ModelRules | undefined {
  return BY_ID.get(model) ?? BY_ID.get(model.replace(/-\d{8}$/, ''));
}

export const KNOWN_MODELS: readonly string[] = RULES.map((r) => r.id);
