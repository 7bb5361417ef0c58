--[[
  Offers a fix under another signature too (e.g. one computed by a newer signature algorithm).

  KEYS: fix:<id>, fix-candidates:<signature>, stats; when asked back, fix-candidates:<s> of every
    signature the fix is already offered under.
  ARGV[1]: JSON { keys, history, min_uses, fix_id, signature }.
  Returns -1 unknown fix, 0 already offered under it, 1 added, {'undeclared', key...}, or {'lease-lost'}
    (the fence, see includes/library.lua).
]]
--- @include "includes/library"

local id, alias = A.fix_id, A.signature
local fk = kfix(id)
local missing = need({ fk })
if missing then return missing end
if call('EXISTS', fk) == 0 then return -1 end
local list = aliasesOf(fk)
if call('HGET', fk, 'error_signature') == alias then return 0 end
for _, a in ipairs(list) do if a == alias then return 0 end end
missing = need(refreshKeys(append(offeredUnder(id), { alias })))
if missing then return missing end

list[#list + 1] = alias
call('HSET', fk, 'aliases', table.concat(list, ' '))
refresh(id)
return 1
