--[[
  Marks a webhook's delivery failed only while it still says pending: the job may have been retried
  (from Bull Board) and delivered between the sweep's read and this write, and that answer must stand.

  KEYS: [1] the project's events hash (keys.projectEvents).
  ARGV: [1] the delivery field ("<event id>|delivery"), [2] the new EventDelivery JSON.
  Returns 1 written, 0 left alone (no delivery recorded, or no longer pending).
]]
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return 0 end
local ok, delivery = pcall(cjson.decode, current)
if not ok or type(delivery) ~= 'table' or delivery.state ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
