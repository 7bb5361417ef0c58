/**
 * What each model the service knows accepts in a request, and what it costs. Every request is shaped by
 * its row (anthropic-client.ts), so the service never sends a setting the model answers with a 400.
 * Each row names the documentation page its facts came from (read 2026-12-06); where two copies of a
 * page disagreed, the row says which it followed. The fake Messages API in @hardfix/testkit keeps its
 * own table, written from the same pages, so a mistake in either one shows up as a failing test.
 */

export type Effort = 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Cache writes with the default 5-minute lifetime (the only one the service uses). */
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /** A higher rate for prompts above `aboveInputTokens` (input counted with cache reads and writes). */
  longContext?: { aboveInputTokens: number; input: number; output: number };
}

export interface ModelSpec {
  /** The API id, or an id prefix that covers dated snapshots (`claude-haiku-4-5` covers `-20251001`). */
  id: string;
  /** `tool_choice` `{type:"tool"}` / `{type:"any"}` accepted (only with thinking off, on every model). */
  forcedToolChoice: boolean;
  /** Non-default `temperature` / `top_p` / `top_k` accepted. The service sends none either way. */
  sampling: boolean;
  /** A last message with role `assistant` accepted. The service sends none either way. */
  prefill: boolean;
  thinking: {
    /** The model thinks when the request says nothing (adaptive thinking on by default). */
    byDefault: boolean;
    /** How a request turns up-front thinking off, when the model allows it at all. */
    off?: 'between_tools' | 'disabled';
    /** Efforts at which the off setting is accepted (between_tools is refused at xhigh and max). */
    offEfforts?: readonly Effort[];
  };
  /** `output_config.effort` levels accepted; undefined: the parameter is not sent. */
  efforts?: readonly Effort[];
  /** `strict: true` tool definitions accepted (the input is then guaranteed to match the schema). */
  strictTools: boolean;
  /** The shortest prefix the prompt cache keeps; a shorter one is billed at the input rate. */
  minCacheTokens: number;
  maxOutputTokens: number;
  price: ModelPrice;
}

const EFFORTS: readonly Effort[] = ['low', 'medium', 'high', 'xhigh', 'max'];
const STRICT_NONE = { forcedToolChoice: false, sampling: false, prefill: false } as const;

export const MODELS: readonly ModelSpec[] = [
  // https://platform.claude.com/docs/en/models/sonnet-5-5/whats-new-sonnet-5-5 and …/sonnet-5-5/migration-guide:
  // forced tool use, sampling, prefill, budgets and thinking.type disabled are 400s; between_tools turns
  // up-front thinking off at low to high effort. Cache read: the migration guide's $0.10 ("half the
  // Claude Sonnet 5 rate"), the newer of two copies (the model page's older copy says $0.20).
  {
    id: 'claude-sonnet-5-5',
    ...STRICT_NONE,
    thinking: { byDefault: true, off: 'between_tools', offEfforts: ['low', 'medium', 'high'] },
    efforts: EFFORTS,
    strictTools: true,
    minCacheTokens: 512,
    maxOutputTokens: 128_000,
    price: { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.1 },
  },
  // https://platform.claude.com/docs/en/models/opus-5-5/whats-new-opus-5-5, …/opus-5-5/overview:
  // adaptive thinking always on (disabled and enabled are 400s), default effort medium.
  {
    id: 'claude-opus-5-5',
    ...STRICT_NONE,
    thinking: { byDefault: true },
    efforts: EFFORTS,
    strictTools: true,
    minCacheTokens: 512,
    maxOutputTokens: 128_000,
    price: { input: 4, output: 20, cacheWrite5m: 5, cacheWrite1h: 8, cacheRead: 0.2 },
  },
  // https://platform.claude.com/docs/en/models/fable-5-1/whats-new-fable-5-1 (forced tool choice: "not
  // supported for this model"), …/about-claude/pricing. Fable 5.2 (models overview): $8 / $40; its cache
  // rates are the standard multiples (1.25x, 2x, 0.1x of a $8 input) — the page gave none.
  {
    id: 'claude-fable-5-2',
    ...STRICT_NONE,
    thinking: { byDefault: true },
    efforts: EFFORTS,
    strictTools: true,
    minCacheTokens: 512,
    maxOutputTokens: 128_000,
    price: { input: 8, output: 40, cacheWrite5m: 10, cacheWrite1h: 16, cacheRead: 0.8 },
  },
  {
    id: 'claude-fable-5-1',
    ...STRICT_NONE,
    thinking: { byDefault: true },
    efforts: EFFORTS,
    strictTools: true,
    minCacheTokens: 512,
    maxOutputTokens: 128_000,
    price: { input: 10, output: 50, cacheWrite5m: 12.5, cacheWrite1h: 20, cacheRead: 1 },
  },
  // https://platform.claude.com/docs/en/models/sonnet-5/migration-guide, …/sonnet-5/overview (legacy):
  // adaptive on by default, thinking.type disabled accepted, forced tool choice accepted with thinking
  // off; non-default sampling and budgets are 400s.
  {
    id: 'claude-sonnet-5',
    forcedToolChoice: true,
    sampling: false,
    prefill: false,
    thinking: { byDefault: true, off: 'disabled', offEfforts: EFFORTS },
    efforts: EFFORTS,
    strictTools: true,
    minCacheTokens: 1024,
    maxOutputTokens: 128_000,
    price: { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 },
  },
  // https://platform.claude.com/docs/en/models/opus-5/migration-guide, …/opus-5/overview (legacy):
  // disabled thinking only at effort high or below.
  {
    id: 'claude-opus-5',
    forcedToolChoice: true,
    sampling: false,
    prefill: false,
    thinking: { byDefault: true, off: 'disabled', offEfforts: ['low', 'medium', 'high'] },
    efforts: EFFORTS,
    strictTools: true,
    minCacheTokens: 512,
    maxOutputTokens: 128_000,
    price: { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5 },
  },
  // https://platform.claude.com/docs/en/models/haiku-4-5/overview, …/haiku-4-5/migration-guide (legacy):
  // no adaptive thinking and no effort; extended thinking only when asked, so it does not think by default.
  {
    id: 'claude-haiku-4-5',
    forcedToolChoice: true,
    sampling: true,
    prefill: true,
    thinking: { byDefault: false },
    strictTools: true,
    minCacheTokens: 4096,
    maxOutputTokens: 64_000,
    price: { input: 1, output: 5, cacheWrite5m: 1.25, cacheWrite1h: 2, cacheRead: 0.1 },
  },
  // https://platform.claude.com/docs/en/models/opus-4-5/overview (legacy; deprecated 2026-11-23).
  {
    id: 'claude-opus-4-5',
    forcedToolChoice: true,
    sampling: true,
    prefill: true,
    thinking: { byDefault: false },
    efforts: ['low', 'medium', 'high'],
    strictTools: true,
    minCacheTokens: 4096,
    maxOutputTokens: 64_000,
    price: { input: 5, output: 25, cacheWrite5m: 6.25, cacheWrite1h: 10, cacheRead: 0.5 },
  },
];

/** The price of the dearest known model: what an unknown id is charged, so a budget errs on the safe side. */
const HIGHEST_PRICE: ModelPrice = MODELS.map((m) => m.price).reduce((a, b) => (b.output > a.output ? b : a));

/**
 * An id the table does not know gets the strictest rules (nothing that any current model refuses, no
 * effort parameter, no strict tools), the smallest output limit and the highest price.
 */
export function unknownModel(id: string): ModelSpec {
  return {
    id,
    ...STRICT_NONE,
    thinking: { byDefault: true },
    strictTools: false,
    minCacheTokens: 4096,
    maxOutputTokens: 32_000,
    price: HIGHEST_PRICE,
  };
}

/** The row for a model id: an exact id, else the longest id prefix (dated snapshots); else unknownModel. */
export function modelSpec(id: string): ModelSpec & { known: boolean } {
  const exact = MODELS.find((m) => m.id === id);
  if (exact) return { ...exact, known: true };
  const prefixed = MODELS.filter((m) => id.startsWith(`${m.id}-`)).sort(
    (a, b) => b.id.length - a.id.length,
  )[0];
  return prefixed ? { ...prefixed, known: true } : { ...unknownModel(id), known: false };
}
