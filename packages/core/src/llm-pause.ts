import type { Cluster, Redis } from 'ioredis';
import { keys } from './keys.js';

/** Every LLM stage is waiting: the API said no call can succeed for a while (a spend limit). */
export interface LlmPause {
  reason: string;
  at: string;
  /** When one call may try again; the key expires then, so nothing has to clear it. */
  until: string;
}

/**
 * Pauses every LLM stage of the deployment for `ms`. One key with a TTL: workers read it before each
 * call, so after the first refusal no worker asks again until it expires, and /status and /ready show
 * the reason meanwhile.
 */
export async function pauseLlm(
  redis: Redis | Cluster,
  prefix: string,
  reason: string,
  ms: number,
  now = Date.now(),
): Promise<LlmPause> {
  const pause: LlmPause = {
    reason,
    at: new Date(now).toISOString(),
    until: new Date(now + ms).toISOString(),
  };
  await redis.set(keys(prefix).llmPause, JSON.stringify(pause), 'PX', Math.max(1, Math.round(ms)));
  return pause;
}

export async function readLlmPause(redis: Redis | Cluster, prefix: string): Promise<LlmPause | undefined> {
  const raw = await redis.get(keys(prefix).llmPause);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as LlmPause;
  } catch {
    return undefined;
  }
}
