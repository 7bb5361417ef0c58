--[[
  Compare-and-set of a project record (ProjectStore.update): writes the new record only if the stored
  one still has the version the writer read, and only while the writer's fence holds; moves the id
  between status sets and keeps the per-status counters exact; applies counter deltas; and appends the
  event the write amounts to (delivered, manual review, abandoned, parked) to the outbox. All in one
  step, so no crash separates a transition from its counts or its event.

  KEYS: [1] project:<id>, [2] projects:<old status>, [3] projects:<new status>, [4] stats, [5] events,
    [6] project-events:<id>, [7] the writer's fence key (its job's BullMQ lock), when fenced.
  ARGV[1]: JSON { id, version (the one read), record (the new record's JSON), status (the new one),
    score (creation time, ms: the id's score should the old set have lost it), event? (see
    includes/append-event.lua), fence_token? (absent: unfenced), counters ({ stats field: delta }) }.
  Returns 1 written, 0 someone else wrote first, -1 no such project, -2 the fence is lost; on anything
  but 1 nothing is written and no event appended.
]]
--- @include "includes/fence"
--- @include "includes/append-event"

local A = cjson.decode(ARGV[1])
if fenceLost(KEYS[7], A.fence_token) then return -2 end
local current = redis.call('GET', KEYS[1])
if not current then return -1 end
local record = cjson.decode(current)
if tonumber(record['version']) ~= tonumber(A.version) then return 0 end
redis.call('SET', KEYS[1], A.record)
appendEvent(KEYS[5], KEYS[6], A.event)
local old, new = record['status'], A.status
if old ~= new then
  local score = redis.call('ZSCORE', KEYS[2], A.id) or A.score
  redis.call('ZREM', KEYS[2], A.id)
  redis.call('ZADD', KEYS[3], score, A.id)
  redis.call('HINCRBY', KEYS[4], 'projects:' .. old, -1)
  redis.call('HINCRBY', KEYS[4], 'projects:' .. new, 1)
end
for field, delta in pairs(A.counters) do
  redis.call('HINCRBY', KEYS[4], field, delta)
end
return 1
