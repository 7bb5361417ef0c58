import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

type ScriptCommand = (numKeys: number, ...keysAndArgs: (string | number)[]) => Promise<unknown>;
const definedOn = new WeakMap<Redis | Cluster, Set<string>>();

/**
 * A Lua script given as source, run through ioredis `defineCommand` (EVALSHA, reloaded after a Redis
 * restart). New scripts belong in `.lua` files (see fix-library/scripts.ts); this remains for the
 * scripts still inline in TypeScript (project-store.ts, the API's review lock) until they move.
 */
export class LuaScript {
  /** The command name on the client: derived from the source, so two scripts never share one. */
  private readonly command: string;
  constructor(readonly source: string) {
    this.command = `hardfixLua${createHash('sha1').update(source).digest('hex')}`;
  }

  run(client: Redis | Cluster, keys: string[], args: (string | number)[]): Promise<unknown> {
    const names = definedOn.get(client) ?? new Set<string>();
    definedOn.set(client, names);
    if (!names.has(this.command)) {
      client.defineCommand(this.command, { lua: this.source });
      names.add(this.command);
    }
    const fn = (client as unknown as Record<string, ScriptCommand>)[this.command] as ScriptCommand;
    return fn.call(client, keys.length, ...keys, ...args);
  }
}
