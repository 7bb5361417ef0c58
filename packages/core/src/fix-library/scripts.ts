import { LuaScript } from '../lua.js';

/**
 * Every library write is one of these scripts, so two workers touching one fix cannot lose a count, a
 * project name or an index entry. ARGV[1] is "<prefix>:", ARGV[2..3] the demotion parameters; the
 * key layout below must match keys.ts (the store reads through keys.ts, so a mismatch fails its tests).
 * The keys are built here rather than passed in because which ones a change touches (indexes of the
 * fix's language and type, its aliases) is only known once the fix is read. With a `{prefix}` they all
 * share one Redis Cluster slot, and the store declares the prefix's stats key so the script runs there.
 */
const PRELUDE = `
local P = ARGV[1]
local HISTORY, MIN_USES = tonumber(ARGV[2]), tonumber(ARGV[3])
local MAX_ALIASES = 50
local function kfix(id) return P .. 'fix:' .. id end
local function kusers(id) return P .. 'fix-users:' .. id end
local function kfail(id) return P .. 'fix-failures:' .. id end
local function kimports(id) return P .. 'fix-imports:' .. id end
local function kcand(sig) return P .. 'fix-candidates:' .. sig end
local kstats = P .. 'stats'
local function indexKeys(lang, etype)
  return { P .. 'fixes:index:all', P .. 'fixes:index:language:' .. lang, P .. 'fixes:index:type:' .. etype,
    P .. 'fixes:index:language-type:' .. lang .. ':' .. etype }
end
local function addToIndexes(lang, etype, member)
  for _, k in ipairs(indexKeys(lang, etype)) do redis.call('ZADD', k, 0, member) end
end
local function removeFromIndexes(lang, etype, member)
  for _, k in ipairs(indexKeys(lang, etype)) do redis.call('ZREM', k, member) end
end
local function aliasesOf(fk)
  local raw = redis.call('HGET', fk, 'aliases')
  local out = {}
  if raw then for a in string.gmatch(raw, '%S+') do out[#out + 1] = a end end
  return out
end
local function pushOutcome(fk, outcome)
  local hist = (redis.call('HGET', fk, 'recent_outcomes') or '') .. outcome
  if #hist > HISTORY then hist = string.sub(hist, -HISTORY) end
  redis.call('HSET', fk, 'recent_outcomes', hist)
end
-- Demotion and rank follow every change of counts or outcomes; fixes:demoted moves with the flag.
local function refresh(id)
  local fk = kfix(id)
  local h = redis.call('HMGET', fk, 'recent_outcomes', 'success_count', 'failure_count', 'demoted', 'error_signature',
    'provenance', 'local_success_count', 'fix_source')
  local hist = h[1] or ''
  local n = #hist
  local ok = n - select(2, string.gsub(hist, '0', ''))
  local demoted = 0
  if n >= MIN_USES and ok * 2 < n then demoted = 1 end
  local was = tonumber(h[4]) or 0
  if demoted ~= was then
    redis.call('HSET', fk, 'demoted', demoted)
    redis.call('HINCRBY', kstats, 'fixes:demoted', demoted - was)
  end
  local s, f = tonumber(h[2]) or 0, tonumber(h[3]) or 0
  -- Rank (see rankOf in types.ts): fixes proven here in (1, 2], imported ones not yet proven here in
  -- (0, 1], whatever their counters say; demoted ones -1, below every lookup's range.
  local score = -1
  if demoted == 0 then
    score = (s + 1) / (s + f + 2)
    local imported = h[6] == 'imported' or (not h[6] and h[8] == 'import')
    if not imported or (tonumber(h[7]) or 0) > 0 then score = score + 1 end
  end
  redis.call('ZADD', kcand(h[5]), score, id)
  for _, a in ipairs(aliasesOf(fk)) do redis.call('ZADD', kcand(a), score, id) end
end
`;

const script = (body: string) => new LuaScript(PRELUDE + body);

/**
 * ARGV[4] fix id hint ('' = find by change), 5 signature, 6 change hash, 7 project, 8 now ISO, 9 now ms,
 * 10 now ms padded to 15 digits (the index member is '<that>|<fix id>'), 11 attempts, 12 error type, 13 language, 14 description, 15 working code,
 * 16 original code, 17 patch, 18 signature version, 19 source, 20 has original ('1'), 21 edit pattern
 * JSON ('' none), 22 error message, 23 error scope, 24.. counters. A success under a signature the
 * fix is not yet offered under (a newer algorithm's) adds it as an alias: that is how stored fixes
 * migrate. Returns {saved 0/1, fix id, created 0/1}. Idempotent per project and fix.
 */
export const saveSuccessScript = script(`
local id = ARGV[4]
if id ~= '' and redis.call('EXISTS', kfix(id)) == 0 then id = '' end
if id == '' then
  local sig, ch = ARGV[5], ARGV[6]
  local primary = kfix(sig)
  if redis.call('EXISTS', primary) == 0 or redis.call('HGET', primary, 'change_hash') == ch then id = sig
  else id = sig .. '.' .. string.sub(ch, 1, 8) end
end
local fk = kfix(id)
if redis.call('SISMEMBER', kusers(id), ARGV[7]) == 1 then return {0, id, 0} end
local created = 0
if redis.call('EXISTS', fk) == 0 then
  created = 1
  local member = ARGV[10] .. '|' .. id
  redis.call('HSET', fk, 'fix_id', id, 'error_signature', ARGV[5], 'change_hash', ARGV[6],
    'error_type', ARGV[12], 'language', ARGV[13], 'fix_description', ARGV[14], 'working_code', ARGV[15],
    'success_count', 1, 'total_attempts', ARGV[11], 'failure_count', 0,
    'first_success', ARGV[8], 'first_success_ms', ARGV[9], 'last_used', ARGV[8], 'last_used_ms', ARGV[9],
    'signature_version', ARGV[18], 'fix_source', ARGV[19], 'recent_outcomes', '1', 'demoted', 0,
    'aliases', '', 'index_member', member, 'provenance', 'local', 'local_success_count', 1,
    'error_message', ARGV[22], 'error_scope', ARGV[23])
  if ARGV[20] == '1' then redis.call('HSET', fk, 'original_code', ARGV[16]) end
  if ARGV[17] ~= '' then redis.call('HSET', fk, 'patch', ARGV[17]) end
  if ARGV[21] ~= '' then redis.call('HSET', fk, 'pattern', ARGV[21]) end
  addToIndexes(ARGV[13], ARGV[12], member)
  redis.call('HINCRBY', kstats, 'fixes:total', 1)
else
  redis.call('HINCRBY', fk, 'success_count', 1)
  redis.call('HINCRBY', fk, 'local_success_count', 1)
  redis.call('HINCRBY', fk, 'total_attempts', ARGV[11])
  if redis.call('HGET', fk, 'error_signature') ~= ARGV[5] then
    local list, known = aliasesOf(fk), false
    for _, a in ipairs(list) do if a == ARGV[5] then known = true end end
    -- Capped below the import schema's limit, so an exported fix always imports again.
    if not known and #list < MAX_ALIASES then
      list[#list + 1] = ARGV[5]
      redis.call('HSET', fk, 'aliases', table.concat(list, ' '))
    end
  end
  redis.call('HSET', fk, 'last_used', ARGV[8], 'last_used_ms', ARGV[9])
  pushOutcome(fk, '1')
  redis.call('HINCRBY', kstats, 'fixes:reuse-successes', 1)
end
redis.call('SADD', kusers(id), ARGV[7])
refresh(id)
for i = 24, #ARGV, 2 do redis.call('HINCRBY', kstats, ARGV[i], ARGV[i + 1]) end
return {1, id, created}
`);

/** ARGV[4] fix id, 5 use id, 6 now ISO, 7 now ms. Returns -1 unknown fix, 0 already counted, 1 counted. */
export const recordFailureScript = script(`
local id = ARGV[4]
local fk = kfix(id)
if redis.call('EXISTS', fk) == 0 then return -1 end
if redis.call('SADD', kfail(id), ARGV[5]) == 0 then return 0 end
redis.call('HINCRBY', fk, 'failure_count', 1)
redis.call('HINCRBY', fk, 'total_attempts', 1)
redis.call('HSET', fk, 'last_used', ARGV[6], 'last_used_ms', ARGV[7])
pushOutcome(fk, '0')
redis.call('HINCRBY', kstats, 'fixes:reuse-failures', 1)
refresh(id)
return 1
`);

/**
 * ARGV[4] limit per signature, 5.. signatures. The offered (not demoted) fixes of each signature, best
 * first, each as a flat HGETALL; a fix listed under two of the signatures comes once.
 */
export const lookupScript = script(`
local seen, out = {}, {}
local limit = tonumber(ARGV[4])
for i = 5, #ARGV do
  local ids = redis.call('ZREVRANGEBYSCORE', kcand(ARGV[i]), '+inf', '0', 'LIMIT', 0, limit)
  for _, id in ipairs(ids) do
    if not seen[id] then
      seen[id] = true
      out[#out + 1] = redis.call('HGETALL', kfix(id))
    end
  end
end
return out
`);

/**
 * ARGV[4] fix id, 5 record JSON (see ImportRecord), 6 fingerprint, 7 index member for a new fix.
 * Adds a fix, or merges a record into it (sum counts, union projects and aliases, min first success,
 * max last use). Skips a record already merged, or one that would add nothing.
 */
export const importScript = script(`
local id = ARGV[4]
local r = cjson.decode(ARGV[5])
local fk = kfix(id)
local function addUsers()
  local users = r.used_by_projects
  for i = 1, #users, 1000 do
    redis.call('SADD', kusers(id), unpack(users, i, math.min(i + 999, #users)))
  end
end
local function addAliases()
  local have = {}
  for _, a in ipairs(aliasesOf(fk)) do have[a] = true end
  local list = aliasesOf(fk)
  for _, a in ipairs(r.aliases) do
    if not have[a] and a ~= redis.call('HGET', fk, 'error_signature') then have[a] = true; list[#list + 1] = a end
  end
  redis.call('HSET', fk, 'aliases', table.concat(list, ' '))
end
if redis.call('EXISTS', fk) == 0 then
  redis.call('HSET', fk, 'fix_id', id, 'error_signature', r.error_signature, 'change_hash', r.change_hash,
    'error_type', r.error_type, 'language', r.language, 'fix_description', r.fix_description,
    'working_code', r.working_code, 'success_count', r.success_count, 'total_attempts', r.total_attempts,
    'failure_count', r.failure_count, 'first_success', r.first_success, 'first_success_ms', r.first_success_ms,
    'last_used', r.last_used, 'last_used_ms', r.last_used_ms, 'signature_version', r.signature_version,
    'fix_source', r.fix_source, 'recent_outcomes', r.recent_outcomes, 'demoted', 0, 'aliases', '',
    'index_member', ARGV[7], 'provenance', 'imported', 'local_success_count', 0)
  for _, f in ipairs({ 'pattern', 'error_message', 'error_scope' }) do
    if r[f] ~= cjson.null and r[f] ~= nil then redis.call('HSET', fk, f, r[f]) end
  end
  if r.original_code ~= cjson.null and r.original_code ~= nil then redis.call('HSET', fk, 'original_code', r.original_code) end
  if r.patch ~= cjson.null and r.patch ~= nil then redis.call('HSET', fk, 'patch', r.patch) end
  addToIndexes(r.language, r.error_type, ARGV[7])
  redis.call('HINCRBY', kstats, 'fixes:total', 1)
  addUsers()
  addAliases()
  redis.call('SADD', kimports(id), ARGV[6])
  refresh(id)
  return 'added'
end
if redis.call('SISMEMBER', kimports(id), ARGV[6]) == 1 then return 'skipped' end
local h = redis.call('HMGET', fk, 'success_count', 'total_attempts', 'failure_count', 'first_success_ms',
  'last_used_ms', 'language', 'error_type', 'index_member')
local s, t, f = tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or 0
local firstMs, lastMs = tonumber(h[4]) or 0, tonumber(h[5]) or 0
local rFirst, rLast = tonumber(r.first_success_ms), tonumber(r.last_used_ms)
local newUser = false
for _, u in ipairs(r.used_by_projects) do
  if redis.call('SISMEMBER', kusers(id), u) == 0 then newUser = true; break end
end
redis.call('SADD', kimports(id), ARGV[6])
if not newUser and r.success_count <= s and r.total_attempts <= t and r.failure_count <= f
  and rFirst >= firstMs and rLast <= lastMs then
  return 'skipped'
end
redis.call('HSET', fk, 'success_count', s + r.success_count, 'total_attempts', t + r.total_attempts,
  'failure_count', f + r.failure_count)
if rFirst < firstMs then
  removeFromIndexes(h[6], h[7], h[8])
  addToIndexes(h[6], h[7], ARGV[7])
  redis.call('HSET', fk, 'first_success', r.first_success, 'first_success_ms', r.first_success_ms,
    'index_member', ARGV[7])
end
if rLast > lastMs then redis.call('HSET', fk, 'last_used', r.last_used, 'last_used_ms', r.last_used_ms) end
addUsers()
addAliases()
refresh(id)
return 'merged'
`);

/** ARGV[4] fix id, 5 signature. Offers the fix under another signature too. Returns 1 when new. */
export const addAliasScript = script(`
local id, alias = ARGV[4], ARGV[5]
local fk = kfix(id)
if redis.call('EXISTS', fk) == 0 then return -1 end
if redis.call('HGET', fk, 'error_signature') == alias then return 0 end
local list = aliasesOf(fk)
for _, a in ipairs(list) do if a == alias then return 0 end end
list[#list + 1] = alias
redis.call('HSET', fk, 'aliases', table.concat(list, ' '))
refresh(id)
return 1
`);

/**
 * ARGV[4] a fix id or a signature. A signature (which is also its first fix's id) deletes every fix of
 * that signature; a candidate's id deletes that fix. Index entries, aliases and counters go with them.
 * Returns the number of fixes deleted.
 */
export const deleteScript = script(`
local target = ARGV[4]
local ids = {}
local own = redis.call('HGET', kfix(target), 'error_signature')
if own and own ~= target then
  ids[1] = target
else
  for _, id in ipairs(redis.call('ZRANGE', kcand(target), 0, -1)) do
    if redis.call('HGET', kfix(id), 'error_signature') == target then ids[#ids + 1] = id end
  end
  if own and redis.call('ZSCORE', kcand(target), target) == false then ids[#ids + 1] = target end
end
for _, id in ipairs(ids) do
  local fk = kfix(id)
  local h = redis.call('HMGET', fk, 'error_signature', 'language', 'error_type', 'index_member', 'demoted')
  redis.call('ZREM', kcand(h[1]), id)
  for _, a in ipairs(aliasesOf(fk)) do redis.call('ZREM', kcand(a), id) end
  removeFromIndexes(h[2], h[3], h[4])
  redis.call('DEL', fk, kusers(id), kfail(id), kimports(id))
  redis.call('HINCRBY', kstats, 'fixes:total', -1)
  if tonumber(h[5]) == 1 then redis.call('HINCRBY', kstats, 'fixes:demoted', -1) end
end
return #ids
`);
