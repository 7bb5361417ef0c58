--[[
  Counts a reuse of a fix that did not verify, once per use id.

  KEYS: fix:<id>, fix-failures:<id>, stats; when asked back, fix-candidates:<s> of every signature the
    fix is offered under.
  ARGV[1]: JSON { keys, history, min_uses, fix_id, use_id, now_iso, now_ms }.
  Returns -1 unknown fix, 0 already counted, 1 counted, {'undeclared', key...}, or {'lease-lost'}
    (the fence, see includes/library.lua).
]]
--- @include "includes/library"

local id = A.fix_id
local fk = kfix(id)
local missing = need({ fk })
if missing then return missing end
if call('EXISTS', fk) == 0 then return -1 end
missing = need(append({ kfail(id) }, refreshKeys(offeredUnder(id))))
if missing then return missing end

if call('SADD', kfail(id), A.use_id) == 0 then return 0 end
call('HINCRBY', fk, 'failure_count', 1)
call('HINCRBY', fk, 'total_attempts', 1)
call('HSET', fk, 'last_used', A.now_iso, 'last_used_ms', A.now_ms)
pushOutcome(fk, '0')
call('HINCRBY', kstats, 'fixes:reuse-failures', 1)
refresh(id)
return 1
