import { useRedis } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import { rankOf } from '../src/fix-library/types.js';
import { readLua } from '../src/lua/script.js';

// The rank formula is written twice, once per language that needs it (TypeScript reads, Lua writes the
// candidate scores); this runs the Lua one in Redis over the same inputs as the TypeScript one.
const redisFx = useRedis();
const RANK = readLua(new URL('../src/lua/includes/rank.lua', import.meta.url));

describe('the fix rank formula', () => {
  it('is the same in Lua (includes/rank.lua) and TypeScript (rankOf)', async () => {
    const cases: [number, number, 'local' | 'imported', number][] = [];
    for (const s of [0, 1, 2, 7, 40])
      for (const f of [0, 1, 3, 40])
        for (const provenance of ['local', 'imported'] as const)
          for (const localSuccesses of [0, 1, 5]) cases.push([s, f, provenance, localSuccesses]);
    // One EVAL: each case's score as a string (Lua numbers would be truncated to integers in the reply).
    const script = `${RANK}
local out = {}
for _, c in ipairs(cjson.decode(ARGV[1])) do
  out[#out + 1] = string.format('%.17g', rankOf(c[1], c[2], c[3] == 'imported', c[4]))
end
return out`;
    const lua = (await redisFx.current.redis.eval(script, 0, JSON.stringify(cases))) as string[];
    const ts = cases.map(([s, f, provenance, localSuccesses]) =>
      rankOf({ success_count: s, failure_count: f, provenance, local_success_count: localSuccesses }),
    );
    expect(lua.map(Number)).toEqual(ts);
    // Not a formula that ignores its inputs: local above imported, more successes above fewer.
    expect(new Set(ts).size).toBeGreaterThan(10);
  });
});
