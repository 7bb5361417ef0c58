--[[
  Adds an imported fix, or merges a record into the stored fix of the same id. What a record says
  about its past (success_count, total_attempts, failure_count, recent_outcomes, used_by_projects) is
  kept as the fix's imported history (imported_* fields: summed, unioned) and never used here: the
  counters that rank and demote a fix, and the projects that count as its users, start at zero for an
  imported fix and only ever count what happened in this service. The record's times (min first success,
  max last use) still order the listings. Skips a record already merged, or one that would add nothing.

  KEYS: fix:<id>, fix-users:<id>, fix-imports:<id>, stats, the listing indexes of the record's language
    and error type, fix-candidates:<s> of the record's signature and aliases; when asked back, those of
    the stored fix.
  ARGV[1]: JSON { keys, history, min_uses, fix_id, record (see ImportRecord in store.ts), fingerprint,
    member (the index member for a new fix) }.
  Returns 'added', 'merged', 'skipped', {'undeclared', key...}, or {'lease-lost'}
    (the fence, see includes/library.lua).
]]
--- @include "includes/library"

local id, r = A.fix_id, A.record
local fk = kfix(id)
local missing = need({ fk, kusers(id), kimports(id), kstats })
if missing then return missing end
local exists = call('EXISTS', fk) == 1
local h = call('HMGET', fk, 'imported_success_count', 'imported_total_attempts', 'imported_failure_count',
  'first_success_ms', 'last_used_ms', 'language', 'error_type', 'index_member', 'imported_used_by_projects',
  'imported_recent_outcomes', 'success_count', 'total_attempts', 'failure_count')
local touched
if exists then
  touched = append(indexKeys(h[6], h[7]), refreshKeys(append(offeredUnder(id), r.aliases)))
else
  touched = append(indexKeys(r.language, r.error_type), refreshKeys(append({ r.error_signature }, r.aliases)))
end
missing = need(touched)
if missing then return missing end

local function present(v) return v ~= cjson.null and v ~= nil end
--- The imported history's projects: a JSON list, kept apart from fix-users (this service's own users).
local importedUsers = {}
if h[9] then importedUsers = cjson.decode(h[9]) end
local function addImportedUsers()
  local have = {}
  for _, u in ipairs(importedUsers) do have[u] = true end
  local added = false
  for _, u in ipairs(r.used_by_projects) do
    if not have[u] then have[u] = true; importedUsers[#importedUsers + 1] = u; added = true end
  end
  table.sort(importedUsers)
  call('HSET', fk, 'imported_used_by_projects', cjson.encode(importedUsers))
  return added
end
local function addAliases()
  local have = {}
  for _, a in ipairs(aliasesOf(fk)) do have[a] = true end
  local list = aliasesOf(fk)
  for _, a in ipairs(r.aliases) do
    if not have[a] and a ~= call('HGET', fk, 'error_signature') then have[a] = true; list[#list + 1] = a end
  end
  call('HSET', fk, 'aliases', table.concat(list, ' '))
end
local function importedOutcomes()
  local hist = (h[10] or '') .. r.recent_outcomes
  if #hist > HISTORY then hist = string.sub(hist, -HISTORY) end
  return hist
end
if not exists then
  call('HSET', fk, 'fix_id', id, 'error_signature', r.error_signature, 'change_hash', r.change_hash,
    'error_type', r.error_type, 'language', r.language, 'fix_description', r.fix_description,
    'working_code', r.working_code, 'success_count', 0, 'total_attempts', 0, 'failure_count', 0,
    'imported_success_count', r.success_count, 'imported_total_attempts', r.total_attempts,
    'imported_failure_count', r.failure_count, 'imported_recent_outcomes', importedOutcomes(),
    'first_success', r.first_success, 'first_success_ms', r.first_success_ms,
    'last_used', r.last_used, 'last_used_ms', r.last_used_ms, 'signature_version', r.signature_version,
    'fix_source', r.fix_source, 'recent_outcomes', '', 'demoted', 0, 'aliases', '',
    'index_member', A.member, 'provenance', 'imported', 'local_success_count', 0)
  for _, f in ipairs({ 'pattern', 'error_message', 'error_scope', 'original_code', 'patch' }) do
    if present(r[f]) then call('HSET', fk, f, r[f]) end
  end
  addToIndexes(r.language, r.error_type, A.member)
  call('HINCRBY', kstats, 'fixes:total', 1)
  addImportedUsers()
  addAliases()
  call('SADD', kimports(id), A.fingerprint)
  refresh(id)
  return 'added'
end
if call('SISMEMBER', kimports(id), A.fingerprint) == 1 then return 'skipped' end
local s, t, f = tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or 0
local firstMs, lastMs = tonumber(h[4]) or 0, tonumber(h[5]) or 0
local rFirst, rLast = tonumber(r.first_success_ms), tonumber(r.last_used_ms)
call('SADD', kimports(id), A.fingerprint)
local newUser = addImportedUsers()
-- Nothing beyond what is known, here or in the history (an export of this library read back, say).
local ls, lt, lf = tonumber(h[11]) or 0, tonumber(h[12]) or 0, tonumber(h[13]) or 0
if not newUser and r.success_count <= s + ls and r.total_attempts <= t + lt and r.failure_count <= f + lf
  and rFirst >= firstMs and rLast <= lastMs then
  return 'skipped'
end
call('HSET', fk, 'imported_success_count', s + r.success_count, 'imported_total_attempts', t + r.total_attempts,
  'imported_failure_count', f + r.failure_count, 'imported_recent_outcomes', importedOutcomes())
if rFirst < firstMs then
  removeFromIndexes(h[6], h[7], h[8])
  addToIndexes(h[6], h[7], A.member)
  call('HSET', fk, 'first_success', r.first_success, 'first_success_ms', r.first_success_ms,
    'index_member', A.member)
end
if rLast > lastMs then call('HSET', fk, 'last_used', r.last_used, 'last_used_ms', r.last_used_ms) end
addAliases()
refresh(id)
return 'merged'
