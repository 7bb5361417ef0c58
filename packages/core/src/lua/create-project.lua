--[[
  Creates a project (ProjectStore.create): claims the name if it is free, writes the record and the
  files, indexes and counts the project, and appends its event when it starts in an event status (a
  migrated project already in manual review); or, when the name is taken, does nothing at all.

  KEYS: [1] project-name:<name>, [2] project:<id>, [3] project-files:<id>, [4] projects:<status>,
    [5] projects:all, [6] stats, [7] events, [8] project-events:<id>.
  ARGV[1]: JSON { id, record (the record's JSON), files (the files record's JSON), score (creation
    time, ms), status, event? (see includes/append-event.lua) }.
  Returns {1, id} created, or {0, owner id} when the name was taken (nothing written).
]]
--- @include "includes/append-event"

local A = cjson.decode(ARGV[1])
local owner = redis.call('GET', KEYS[1])
if owner then return { 0, owner } end
redis.call('SET', KEYS[1], A.id)
redis.call('SET', KEYS[2], A.record)
redis.call('SET', KEYS[3], A.files)
redis.call('ZADD', KEYS[4], A.score, A.id)
redis.call('ZADD', KEYS[5], A.score, A.id)
redis.call('HINCRBY', KEYS[6], 'projects:' .. A.status, 1)
redis.call('HINCRBY', KEYS[6], 'projects:total', 1)
appendEvent(KEYS[7], KEYS[8], A.event)
return { 1, A.id }
