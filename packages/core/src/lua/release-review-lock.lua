--[[
  Releases a review lock only if it is still ours: after a TTL expiry someone else may hold it.

  KEYS[1]: review-lock:<project id>
  ARGV[1]: the token this holder set
  Returns 1 released, 0 not ours (or already gone).
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
