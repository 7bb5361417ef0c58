--[[
  One SET, with an optional expiry, made only while the writer's fence holds (ProjectStore's writes of
  a project's files, an attempt's files and the hard-fix origin).

  KEYS: [1] the key written, [2] the writer's fence key (its job's BullMQ lock), when fenced.
  ARGV: [1] the value, [2] the expiry in seconds ('' none), [3] the fence token (absent or '': unfenced).
  Returns 1 written, -2 the fence is lost (nothing written).
]]
--- @include "includes/fence"

if fenceLost(KEYS[2], ARGV[3]) then return -2 end
if ARGV[2] ~= '' then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1
