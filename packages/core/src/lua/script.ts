import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cluster, Redis } from 'ioredis';

type ScriptCommand = (numKeys: number, ...keysAndArgs: (string | number)[]) => Promise<unknown>;

/**
 * `--- @include "<path>"` on a line of its own, as in BullMQ's scripts: the file at that path, relative
 * to the including file (`.lua` implied), expanded in place.
 */
const INCLUDE = /^--- @include "([^"]+)"[ \t]*$/gm;

/**
 * A Lua file with its includes expanded. Each file is expanded once per script (a later include of the
 * same file expands to nothing), so two fragments can include a third, and a fragment shared by several
 * scripts (the fence check, the outbox append) is written once and never copied.
 */
export function readLua(url: URL, included: Set<string> = new Set()): string {
  included.add(url.href);
  return readFileSync(url, 'utf8').replace(INCLUDE, (_line, path: string) => {
    const target = new URL(path.endsWith('.lua') ? path : `${path}.lua`, url);
    return included.has(target.href) ? '' : readLua(target, included);
  });
}

/**
 * A script of this folder by name (`fix-save-success` → ./fix-save-success.lua). Every script Redis runs
 * lives here, with its shared fragments in ./includes, as BullMQ keeps src/commands and its includes:
 * one place, one include mechanism (readLua).
 */
export function luaScript(name: string): LuaScript {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`not a Lua script name: ${JSON.stringify(name)}`);
  return LuaScript.load(new URL(`./${name}.lua`, import.meta.url));
}

/**
 * One Lua script run through ioredis `defineCommand`: ioredis sends EVALSHA and falls back to EVAL
 * after a NOSCRIPT (a restarted or failed-over Redis), and a Cluster client routes it by its KEYS. The
 * command is defined on a client the first time the script runs there.
 */
export class LuaScript {
  /** Named after the file and the source, so two scripts (or two versions of one) never share a name. */
  private readonly command: string;

  private constructor(
    readonly source: string,
    name: string,
  ) {
    const sha = createHash('sha1').update(source).digest('hex').slice(0, 16);
    this.command = `hardfix_${name.replace(/\W/g, '_')}_${sha}`;
  }

  /** A `.lua` file (its includes expanded), named after the file. */
  static load(url: URL): LuaScript {
    return new LuaScript(readLua(url), basename(fileURLToPath(url), '.lua'));
  }

  run(client: Redis | Cluster, keys: string[], args: (string | number)[]): Promise<unknown> {
    const commands = client as unknown as Record<string, ScriptCommand | undefined>;
    let command = commands[this.command];
    if (!command) {
      client.defineCommand(this.command, { lua: this.source });
      command = commands[this.command] as ScriptCommand;
    }
    return command.call(client, keys.length, ...keys, ...args);
  }
}
