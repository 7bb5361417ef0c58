--[[
  Records a verified fix, once per project and fix.

  KEYS: fix:<id>, fix-users:<id> for each id the fix may have (the hint, the signature, the signature
    plus the change hash's first 8 characters), fix-candidates:<signature>, the four listing indexes of
    the language and error type, stats; and, when asked back, fix-candidates:<s> of every signature the
    existing fix is offered under.
  ARGV[1]: JSON { keys, history, min_uses, hint_id ('' = find by change), signature, change_hash,
    project, now_iso, now_ms, member_ms (now ms padded to 15 digits; the index member is
    '<member_ms>|<fix id>'), attempts, error_type, language, description, working_code, original_code
    (null: not known), patch ('' none), signature_version, source, pattern (JSON, '' none),
    error_message, error_scope, counters ({ stats field: increment }), evidence ('tests' or
    'run-only': what proved it; it only ever improves, so 'run-only' never replaces 'tests'), fence? }.
  Returns {saved 0/1, fix id, created 0/1}, {'undeclared', key...} or {'lease-lost'}. Idempotent per
  project and fix (the evidence is still raised on a repeat).

  A success under a signature the fix is not yet offered under (a newer algorithm's) adds it as an
  alias: that is how stored fixes migrate.
]]
--- @include "includes/library"

local sig, ch = A.signature, A.change_hash
local ids = { sig, sig .. '.' .. string.sub(ch, 1, 8) }
if A.hint_id ~= '' then table.insert(ids, 1, A.hint_id) end
local planned = {}
for _, id in ipairs(ids) do planned[#planned + 1] = kfix(id) end
local missing = need(planned)
if missing then return missing end

local id = A.hint_id
if id ~= '' and call('EXISTS', kfix(id)) == 0 then id = '' end
if id == '' then
  local primary = kfix(sig)
  if call('EXISTS', primary) == 0 or call('HGET', primary, 'change_hash') == ch then id = sig
  else id = sig .. '.' .. string.sub(ch, 1, 8) end
end
local fk = kfix(id)
local exists = call('EXISTS', fk) == 1
local touched = { fk, kusers(id) }
if exists then
  append(touched, refreshKeys(append(offeredUnder(id), { sig })))
else
  append(touched, indexKeys(A.language, A.error_type))
  append(touched, refreshKeys({ sig }))
end
missing = need(touched)
if missing then return missing end

local function raiseEvidence()
  if A.evidence == 'tests' then call('HSET', fk, 'evidence', 'tests')
  else call('HSETNX', fk, 'evidence', 'run-only') end
end
if call('SISMEMBER', kusers(id), A.project) == 1 then
  if exists then raiseEvidence() end
  return { 0, id, 0 }
end
local created = 0
if not exists then
  created = 1
  local member = A.member_ms .. '|' .. id
  call('HSET', fk, 'fix_id', id, 'error_signature', sig, 'change_hash', ch,
    'error_type', A.error_type, 'language', A.language, 'fix_description', A.description,
    'working_code', A.working_code, 'success_count', 1, 'total_attempts', A.attempts, 'failure_count', 0,
    'first_success', A.now_iso, 'first_success_ms', A.now_ms, 'last_used', A.now_iso, 'last_used_ms', A.now_ms,
    'signature_version', A.signature_version, 'fix_source', A.source, 'recent_outcomes', '1', 'demoted', 0,
    'aliases', '', 'index_member', member, 'provenance', 'local', 'local_success_count', 1,
    'error_message', A.error_message, 'error_scope', A.error_scope)
  if A.original_code ~= cjson.null then call('HSET', fk, 'original_code', A.original_code) end
  if A.patch ~= '' then call('HSET', fk, 'patch', A.patch) end
  if A.pattern ~= '' then call('HSET', fk, 'pattern', A.pattern) end
  if A.dependencies ~= nil and A.dependencies ~= '' then call('HSET', fk, 'dependencies', A.dependencies) end
  addToIndexes(A.language, A.error_type, member)
  call('HINCRBY', kstats, 'fixes:total', 1)
else
  call('HINCRBY', fk, 'success_count', 1)
  call('HINCRBY', fk, 'local_success_count', 1)
  call('HINCRBY', fk, 'total_attempts', A.attempts)
  if call('HGET', fk, 'error_signature') ~= sig then
    local list, known = aliasesOf(fk), false
    for _, a in ipairs(list) do if a == sig then known = true end end
    -- Capped below the import schema's limit, so an exported fix always imports again.
    if not known and #list < MAX_ALIASES then
      list[#list + 1] = sig
      call('HSET', fk, 'aliases', table.concat(list, ' '))
    end
  end
  call('HSET', fk, 'last_used', A.now_iso, 'last_used_ms', A.now_ms)
  pushOutcome(fk, '1')
  call('HINCRBY', kstats, 'fixes:reuse-successes', 1)
end
call('SADD', kusers(id), A.project)
refresh(id)
raiseEvidence()
for field, by in pairs(A.counters) do call('HINCRBY', kstats, field, by) end
return { 1, id, created }
