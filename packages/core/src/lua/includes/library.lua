--[[
  Shared by every fix-library script: each includes this file (`--- @include "includes/library"`) before its
  own code, so the helpers below are in scope of every script.

  Arguments: ARGV[1] is one JSON table (decoded into `A`); A.keys is the key layout, made by keys.ts
  (libraryKeyTemplates: each key as the text between its parameters), so it is written once; A.history
  and A.min_uses the demotion rule (types.ts).

  Fencing: A.fence = { key, token } when the write is made on behalf of a job (see fence.ts); its key,
  the job's BullMQ lock, is declared in KEYS. While that key does not hold the token the script replies
  {'lease-lost'} before reading or writing anything else, in every run (see need() below), so the run
  that writes is the run that checked.

  Declared keys: every key a script reads or writes is in KEYS. Some of them are only known once the
  script has read the fix (its aliases' candidate sets, its language's index). A script therefore
  first plans: `need(list)` checks that every key it is about to touch was declared and, when one was
  not, the script returns {'undeclared', key...} before any write; scripts.ts runs it again with those
  keys added. The last run declares everything it touches, so Redis Cluster routes it correctly and
  no key is ever built behind Redis's back.
]]
--- @include "fence"
--- @include "rank"

local A = cjson.decode(ARGV[1])
local K = A.keys
local HISTORY, MIN_USES = tonumber(A.history), tonumber(A.min_uses)
local MAX_ALIASES = 50

local DECLARED = {}
for _, k in ipairs(KEYS) do DECLARED[k] = true end
if A.fence then
  if not DECLARED[A.fence.key] then error('fix library: the fence key is not declared') end
  if fenceLost(A.fence.key, A.fence.token) then return { 'lease-lost' } end
end
--- Returns nil when every key is declared, else the reply that asks the caller for the missing ones.
local function need(list)
  local missing = {}
  for _, k in ipairs(list) do
    if not DECLARED[k] then missing[#missing + 1] = k end
  end
  if #missing == 0 then return nil end
  table.insert(missing, 1, 'undeclared')
  return missing
end

-- Every command of these scripts goes through call(): a key that was not declared is a bug, and it
-- fails here, in every test that takes that path, instead of on a Redis Cluster in production. Each
-- command used has its key first (DEL and EXISTS: all its arguments are keys).
local ALL_KEYS = { DEL = true, EXISTS = true }
local function call(command, ...)
  local args = { ... }
  for i = 1, (ALL_KEYS[command] and #args or 1) do
    if not DECLARED[args[i]] then error('fix library: ' .. command .. ' on undeclared key ' .. tostring(args[i])) end
  end
  return redis.call(command, ...)
end

-- A key from its template (keys.ts): the parameters go between the template's parts.
local function key(parts, ...)
  local params, out = { ... }, parts[1]
  for i = 1, #params do out = out .. params[i] .. parts[i + 1] end
  return out
end
local function kfix(id) return key(K.fix, id) end
local function kusers(id) return key(K.fixUsers, id) end
local function kfail(id) return key(K.fixFailures, id) end
local function kimports(id) return key(K.fixImports, id) end
local function kcand(sig) return key(K.fixCandidates, sig) end
local kstats = key(K.stats)
local function indexKeys(lang, etype)
  return { key(K.fixesAll), key(K.fixesByLanguage, lang), key(K.fixesByType, etype),
    key(K.fixesByLanguageAndType, lang, etype) }
end
local function addToIndexes(lang, etype, member)
  for _, k in ipairs(indexKeys(lang, etype)) do call('ZADD', k, 0, member) end
end
local function removeFromIndexes(lang, etype, member)
  for _, k in ipairs(indexKeys(lang, etype)) do call('ZREM', k, member) end
end
local function append(list, more)
  for _, v in ipairs(more) do list[#list + 1] = v end
  return list
end
local function aliasesOf(fk)
  local raw = call('HGET', fk, 'aliases')
  local out = {}
  if raw then for a in string.gmatch(raw, '%S+') do out[#out + 1] = a end end
  return out
end
local function pushOutcome(fk, outcome)
  local hist = (call('HGET', fk, 'recent_outcomes') or '') .. outcome
  if #hist > HISTORY then hist = string.sub(hist, -HISTORY) end
  call('HSET', fk, 'recent_outcomes', hist)
end
--- The keys refresh(id) writes, given the signatures the fix is (or is about to be) offered under.
local function refreshKeys(signatures)
  local out = { kstats }
  for _, s in ipairs(signatures) do out[#out + 1] = kcand(s) end
  return out
end
--- The signatures a stored fix is offered under: its own and its aliases. Reads kfix(id).
local function offeredUnder(id)
  local own = call('HGET', kfix(id), 'error_signature')
  local out = aliasesOf(kfix(id))
  if own then table.insert(out, 1, own) end
  return out
end
-- Demotion and rank follow every change of counts or outcomes; fixes:demoted moves with the flag.
local function refresh(id)
  local fk = kfix(id)
  local h = call('HMGET', fk, 'recent_outcomes', 'success_count', 'failure_count', 'demoted', 'error_signature',
    'provenance', 'local_success_count', 'fix_source')
  local hist = h[1] or ''
  local n = #hist
  local ok = n - select(2, string.gsub(hist, '0', ''))
  local demoted = 0
  if n >= MIN_USES and ok * 2 < n then demoted = 1 end
  local was = tonumber(h[4]) or 0
  if demoted ~= was then
    call('HSET', fk, 'demoted', demoted)
    call('HINCRBY', kstats, 'fixes:demoted', demoted - was)
  end
  local s, f = tonumber(h[2]) or 0, tonumber(h[3]) or 0
  -- Rank (includes/rank.lua): fixes proven here in (1, 2], imported ones not yet proven here in
  -- (0, 1], whatever their counters say; demoted ones -1, below every lookup's range.
  local score = -1
  if demoted == 0 then
    local imported = h[6] == 'imported' or (not h[6] and h[8] == 'import')
    score = rankOf(s, f, imported, tonumber(h[7]) or 0)
  end
  call('ZADD', kcand(h[5]), score, id)
  for _, a in ipairs(aliasesOf(fk)) do call('ZADD', kcand(a), score, id) end
end
