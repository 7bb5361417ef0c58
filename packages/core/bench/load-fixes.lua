--[[
  `pnpm bench` only: seeds fixes in the library's layout, what a lookup reads.

  KEYS: fixes:index:all, then for each fix i of the batch: fix:<sig i>, fix-candidates:<sig i>.
  ARGV[1]: JSON { from, working, patch }; fix i's signature is from + i as 32 hex digits.
  Returns how many fixes it wrote.
]]
local A = cjson.decode(ARGV[1])
local n = (#KEYS - 1) / 2
for i = 0, n - 1 do
  local sig = string.format('%032x', A.from + i)
  local fk, ck = KEYS[2 + 2 * i], KEYS[3 + 2 * i]
  redis.call('HSET', fk, 'fix_id', sig, 'error_signature', sig, 'change_hash', sig,
    'error_type', 'NameError', 'language', 'python', 'fix_description', 'Fixed NameError in python (Attempt #3)',
    'working_code', A.working, 'original_code', A.working, 'patch', A.patch, 'success_count', 3, 'total_attempts', 5,
    'failure_count', 0, 'first_success', '2025-01-12T14:35:00.000Z', 'first_success_ms', 1736692500000,
    'last_used', '2025-01-12T14:35:00.000Z', 'last_used_ms', 1736692500000, 'signature_version', 2,
    'fix_source', 'llm', 'recent_outcomes', '111', 'demoted', 0, 'aliases', '',
    'index_member', '001736692500000|' .. sig)
  redis.call('ZADD', ck, 0.8, sig)
  redis.call('ZADD', KEYS[1], 0, '001736692500000|' .. sig)
end
return n
