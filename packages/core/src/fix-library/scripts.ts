import type { Cluster, Redis } from 'ioredis';
import { currentFence, LeaseLostError } from '../fence.js';
import { type LuaScript, luaScript } from '../lua/index.js';

/**
 * The library's writes, one Lua file per script in src/lua (`fix-<name>.lua`; each file's header gives
 * its KEYS, ARGV and reply), run through ioredis `defineCommand` (see LuaScript). Each includes
 * `includes/library.lua`, the helpers every script shares, and through it the fence check.
 */
const SCRIPT_NAMES = ['save-success', 'record-failure', 'add-alias', 'delete', 'import'] as const;
export type LibraryScript = (typeof SCRIPT_NAMES)[number];

const SCRIPTS = new Map(SCRIPT_NAMES.map((name) => [name, luaScript(`fix-${name}`)] as const));

/**
 * A script names the keys it needs only after reading the fix (e.g. its aliases' candidate sets); it
 * then answers {'undeclared', key...} before writing anything, and runs again with them declared. A
 * fix changes between two runs only by a concurrent write, so a few rounds always settle.
 */
const MAX_ROUNDS = 8;

export class UndeclaredKeysError extends Error {
  constructor(script: LibraryScript, missing: string[]) {
    super(
      `Lua script ${script} still asks for undeclared keys after ${MAX_ROUNDS} runs: ${missing.join(', ')}`,
    );
    this.name = 'UndeclaredKeysError';
  }
}

/**
 * Runs a library script with `keys` declared (plus any it asks for) and `args` as its JSON ARGV[1].
 * Inside a job (see withFence) the job's lock key is declared too and the fence goes with the
 * arguments: the script writes nothing once the lock is another runner's, and this throws
 * LeaseLostError.
 */
export async function runLibraryScript(
  client: Redis | Cluster,
  name: LibraryScript,
  keys: string[],
  args: Record<string, unknown>,
): Promise<unknown> {
  const fence = currentFence();
  const declared = new Set(fence ? [...keys, fence.key] : keys);
  const json = JSON.stringify(fence ? { ...args, fence } : args);
  let missing: string[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const reply = await (SCRIPTS.get(name) as LuaScript).run(client, [...declared], [json]);
    if (fence && Array.isArray(reply) && reply[0] === 'lease-lost') throw new LeaseLostError(fence);
    if (!Array.isArray(reply) || reply[0] !== 'undeclared') return reply;
    missing = reply.slice(1) as string[];
    for (const key of missing) declared.add(key);
  }
  throw new UndeclaredKeysError(name, missing);
}
