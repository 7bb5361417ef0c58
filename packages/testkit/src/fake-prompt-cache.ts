import { createHash } from 'node:crypto';

/** Rough token estimate (about four characters per token) so usage numbers scale with real sizes. */
export const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

export interface CacheUsage {
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

interface Segment {
  text: string;
  breakpoint: boolean;
}

function segment(block: unknown): Segment {
  if (typeof block === 'string') return { text: block, breakpoint: false };
  const { cache_control, ...rest } = (block ?? {}) as Record<string, unknown>;
  return { text: JSON.stringify(rest), breakpoint: cache_control !== undefined };
}

/** The request as the API caches it: tools, then system, then messages, one segment per block. */
function segments(body: Record<string, unknown>): Segment[] {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const out: Segment[] = [...list(body.tools).map(segment), ...list(body.system).map(segment)];
  for (const message of list(body.messages)) {
    const { content, role } = (message ?? {}) as { content?: unknown; role?: unknown };
    out.push({ text: String(role), breakpoint: false }, ...list(content).map(segment));
  }
  return out;
}

/**
 * Prompt caching the way the Messages API reports it: a prefix up to a `cache_control` breakpoint is
 * written on first use (`cache_creation_input_tokens`) and read by later requests with the same prefix
 * within the TTL (`cache_read_input_tokens`, which refreshes it); `input_tokens` is what is left.
 * Prefixes shorter than the minimum cacheable length are not cached, as by the real API.
 */
export function createPromptCache(options: { minTokens?: number; ttlMs: number }) {
  const entries = new Map<string, number>();
  return {
    usage(
      body: Record<string, unknown>,
      totalInput: number,
      now = Date.now(),
      /** The model's minimum cacheable prefix; the fake passes its model rules' value. */
      minTokens = options.minTokens ?? 1024,
    ): CacheUsage & { input_tokens: number } {
      const segs = segments(body);
      const model = String(body.model);
      const prefixes: { key: string; tokens: number }[] = [];
      let text = '';
      for (const s of segs) {
        text += `\u0000${s.text}`;
        if (!s.breakpoint) continue;
        const t = tokens(text);
        if (t >= minTokens)
          prefixes.push({
            key: createHash('sha256').update(`${model}\u0000${text}`).digest('hex'),
            tokens: t,
          });
      }
      let read = 0;
      for (const p of [...prefixes].reverse()) {
        const expires = entries.get(p.key);
        if (expires !== undefined && expires > now) {
          read = p.tokens;
          break;
        }
      }
      const longest = prefixes.at(-1);
      const written = longest && longest.tokens > read ? longest.tokens - read : 0;
      for (const p of prefixes)
        if (p.tokens <= (longest?.tokens ?? 0)) entries.set(p.key, now + options.ttlMs);
      const cacheRead = Math.min(read, totalInput - 1);
      const cacheWrite = Math.min(written, Math.max(0, totalInput - 1 - cacheRead));
      return {
        input_tokens: totalInput - cacheRead - cacheWrite,
        cache_creation_input_tokens: cacheWrite,
        cache_read_input_tokens: cacheRead,
      };
    },
    clear: () => entries.clear(),
  };
}
