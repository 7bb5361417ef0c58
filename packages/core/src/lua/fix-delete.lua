--[[
  Deletes one fix, or every fix of a signature, with its index entries, aliases and counters.

  KEYS: fix:<target>, fix-candidates:<target>, stats; when asked back, the keys of every fix to delete
    (fix, fix-users, fix-failures, fix-imports, the candidate sets it is offered under, its listing
    indexes).
  ARGV[1]: JSON { keys, target } where target is a fix id or a signature. A signature (which is also
    its first fix's id) deletes every fix of that signature; another candidate's id deletes that fix.
  Returns the number of fixes deleted, {'undeclared', key...}, or {'lease-lost'}
    (the fence, see includes/library.lua).
]]
--- @include "includes/library"

local target = A.target
local missing = need({ kfix(target), kcand(target), kstats })
if missing then return missing end
local ids = {}
local own = call('HGET', kfix(target), 'error_signature')
if own and own ~= target then
  ids[1] = target
else
  local listed = call('ZRANGE', kcand(target), 0, -1)
  local fixKeys = {}
  for _, id in ipairs(listed) do fixKeys[#fixKeys + 1] = kfix(id) end
  missing = need(fixKeys)
  if missing then return missing end
  for _, id in ipairs(listed) do
    if call('HGET', kfix(id), 'error_signature') == target then ids[#ids + 1] = id end
  end
  if own and call('ZSCORE', kcand(target), target) == false then ids[#ids + 1] = target end
end
local touched = {}
for _, id in ipairs(ids) do
  local h = call('HMGET', kfix(id), 'language', 'error_type')
  append(touched, { kusers(id), kfail(id), kimports(id) })
  append(touched, refreshKeys(offeredUnder(id)))
  append(touched, indexKeys(h[1], h[2]))
end
missing = need(touched)
if missing then return missing end

for _, id in ipairs(ids) do
  local fk = kfix(id)
  local h = call('HMGET', fk, 'error_signature', 'language', 'error_type', 'index_member', 'demoted')
  call('ZREM', kcand(h[1]), id)
  for _, a in ipairs(aliasesOf(fk)) do call('ZREM', kcand(a), id) end
  removeFromIndexes(h[2], h[3], h[4])
  call('DEL', fk, kusers(id), kfail(id), kimports(id))
  call('HINCRBY', kstats, 'fixes:total', -1)
  if tonumber(h[5]) == 1 then call('HINCRBY', kstats, 'fixes:demoted', -1) end
end
return #ids
