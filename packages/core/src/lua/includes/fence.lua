--[[
  Fencing (packages/core/src/fence.ts): a write made on behalf of a job is refused once the job's lock
  no longer holds the token this runner took it with (the lock lapsed and another runner owns the job).

  fenceLost(key, token): true when a token is given (a non-empty string) and KEYS entry `key` does not
  hold it. No token: an unfenced writer (the API), never refused. The caller declares `key` in KEYS; it
  is a BullMQ lock key, "<QUEUE_PREFIX>:<queue>:<job id>:lock", so on a Redis Cluster it shares the
  hash-tagged prefix's slot with every other key of the script.
]]
local function fenceLost(key, token)
  return type(token) == 'string' and token ~= '' and redis.call('GET', key) ~= token
end
